namespace AutoMLStudio.Core.Searches;

public sealed record EpochPoint(int Epoch, double TrainLoss, double ValLoss, double ValAccuracy, double Seconds = 0);

/// <summary>What the search pages show of one trial; kept up to date from search events between database reads.</summary>
public sealed class TrialView
{
    public Guid Id { get; init; }
    public int Number { get; init; }
    public string Status { get; set; } = "queued";
    public double? ValAccuracy { get; set; }
    public double? ValLoss { get; set; }
    public long Params { get; set; }
    public long? Flops { get; set; }
    public double? LatencyMs { get; set; }
    public string? Device { get; set; }
    public string? Error { get; set; }
    /// <summary>The trial's number in the search this one refines, when it was carried over from there.</summary>
    public int? InheritedFromNumber { get; init; }
    /// <summary>The network and training settings in words; null when the stored configuration cannot be read.</summary>
    public string? Architecture { get; init; }
    public string? Training { get; init; }
    /// <summary>The trial's point of its search's space, for the charts that read trials by their settings; null when it has none.</summary>
    public TrialPoint? Parameters { get; init; }
    public List<EpochPoint> Epochs { get; } = [];

    /// <summary>Time spent training so far; null before the first epoch (and for a trial carried over, which trained elsewhere).</summary>
    public double? TrainingSeconds => Epochs.Count == 0 ? null : Epochs.Sum(e => e.Seconds);

    /// <summary>The epoch with the best validation value of <paramref name="metric"/>, the earliest on a tie; null before the first finite one.</summary>
    public int? BestEpoch(SearchMetric metric) =>
        Epochs.Where(e => double.IsFinite(e.ValAccuracy))
            .Aggregate((EpochPoint?)null, (best, e) => best is null || metric.IsBetter(e.ValAccuracy, best.ValAccuracy) ? e : best)?.Epoch;

    /// <summary>The view of <paramref name="trial"/>, with its epochs; its search (when loaded) says how to read its configuration.</summary>
    public static TrialView From(Trial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var (architecture, training) = TrialDescriptions.Describe(trial, trial.Search);
        var view = new TrialView
        {
            Id = trial.Id, Number = trial.Number, Status = trial.Status.ToString().ToLowerInvariant(), ValAccuracy = trial.ValMetric,
            ValLoss = trial.ValLoss, Params = trial.Params, Flops = trial.Flops, LatencyMs = trial.LatencyMs, Device = trial.Device, Error = trial.Error,
            InheritedFromNumber = trial.InheritedFromTrialNumber, Architecture = architecture, Training = training,
            Parameters = trial.Search is { } search && TrialPoints.Space(search) is { } space && TrialPoints.Point(trial, search, space) is { } point
                ? new TrialPoint(point) : null,
        };
        view.Epochs.AddRange(trial.Epochs.OrderBy(e => e.Epoch).Select(e => new EpochPoint(e.Epoch, e.TrainLoss, e.ValLoss, e.ValMetric, e.Seconds)));
        return view;
    }
}
