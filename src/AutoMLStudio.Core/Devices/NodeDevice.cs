namespace AutoMLStudio.Core.Devices;

/// <summary>
/// A device as the node that serves it last reported it (<see cref="DeviceHeartbeat"/>). Nodes share the database,
/// so the node that places a trial (which may have no GPU itself) sees every worker's devices, and the admin page
/// shows what runs where. A row not seen for <see cref="DeviceHeartbeat.LiveFor"/> is a node that went away.
/// </summary>
public sealed class NodeDevice
{
    public string NodeName { get; set; } = "";
    /// <summary>"cpu" or "cuda:N" on that node.</summary>
    public string DeviceId { get; set; } = "";
    public string Queue { get; set; } = "";
    public string Name { get; set; } = "";
    public long MemoryBytes { get; set; }
    public long FreeMemoryBytes { get; set; }
    public int? UtilizationPercent { get; set; }
    public int Slots { get; set; }
    /// <summary>Trials training on it in that node's process at the last beat.</summary>
    public int Running { get; set; }
    public DateTimeOffset SeenAt { get; set; }
}
