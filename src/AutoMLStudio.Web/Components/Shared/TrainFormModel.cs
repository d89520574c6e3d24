namespace AutoMLStudio.Web.Components.Shared;

/// <summary>The train form's values, checked here for quick feedback and again by StartSearch.</summary>
public sealed class TrainFormModel
{
    public string Metric { get; set; } = "accuracy";
    public int MaxTrials { get; set; } = 4;
    public double MaxMinutes { get; set; } = 10;
    public int MaxEpochsPerTrial { get; set; } = 5;
    public long? MaxParams { get; set; }

    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        if (MaxTrials is < 1 or > 1000) errors[nameof(MaxTrials)] = "Max trials must be between 1 and 1000.";
        if (!(MaxMinutes > 0) || MaxMinutes > 10_000) errors[nameof(MaxMinutes)] = "Max minutes must be more than 0 and at most 10000.";
        if (MaxEpochsPerTrial is < 1 or > 500) errors[nameof(MaxEpochsPerTrial)] = "Max epochs per trial must be between 1 and 500.";
        if (MaxParams is <= 0) errors[nameof(MaxParams)] = "Max parameters must be a positive number, or left empty for no limit.";
        return errors;
    }
}
