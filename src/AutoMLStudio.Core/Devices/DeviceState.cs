namespace AutoMLStudio.Core.Devices;

/// <summary>
/// What an admin has told a device to do. A device without a row is active. The row lives in the database, so every
/// node's trial jobs read the same answer; a missing row keeps old databases and new devices working unchanged.
/// </summary>
public sealed class DeviceState
{
    public string DeviceId { get; set; } = "";
    public DeviceMode Mode { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
    public string? ChangedBy { get; set; }
}

public enum DeviceMode
{
    /// <summary>Trials start and run.</summary>
    Active,
    /// <summary>Running trials stop at their next epoch boundary and go back to the queue; none start.</summary>
    Paused,
    /// <summary>Running trials finish; none start.</summary>
    Draining,
}
