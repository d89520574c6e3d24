namespace AutoMLStudio.Core.Admin;

/// <summary>One line of the audit log: who did what to which target, and when.</summary>
public sealed class AdminAction
{
    public long Id { get; set; }
    public string? UserId { get; set; }
    public string UserName { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public string Action { get; set; } = "";
    public string? TargetId { get; set; }
    public string? Details { get; set; }
}

/// <summary>Names of the actions the audit log records.</summary>
public static class AdminActions
{
    public const string ApiKeyCreated = "api-key.created";
    public const string ApiKeyRevoked = "api-key.revoked";
    public const string UserCreated = "user.created";
    public const string SearchCancelled = "search.cancelled";
    public const string SearchPaused = "search.paused";
    public const string SearchResumed = "search.resumed";
    public const string SearchPriorityChanged = "search.priority";
    public const string TrialCancelled = "trial.cancelled";
    public const string UserLimitChanged = "user.limit";
    public const string BackboneImported = "backbone.imported";
    public const string BackboneRemoved = "backbone.removed";
    public const string DevicePaused = "device.paused";
    public const string DeviceResumed = "device.resumed";
    public const string DeviceDraining = "device.draining";
    public const string SystemPaused = "system.paused";
    public const string SystemResumed = "system.resumed";
}
