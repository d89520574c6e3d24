using System.Text.Json;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Engine.Metrics;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Web.Components.Shared;

public sealed record EpochPoint(int Epoch, double TrainLoss, double ValLoss, double ValAccuracy, double Seconds = 0);

/// <summary>What the search page shows of one trial; kept up to date from search events between database reads.</summary>
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
    public ParameterSet? Parameters { get; init; }
    public List<EpochPoint> Epochs { get; } = [];

    /// <summary>Time spent training so far; null before the first epoch (and for a trial carried over, which trained elsewhere).</summary>
    public double? TrainingSeconds => Epochs.Count == 0 ? null : Epochs.Sum(e => e.Seconds);

    /// <summary>The epoch with the best validation value of <paramref name="metric"/>, the earliest on a tie; null before the first finite one.</summary>
    public int? BestEpoch(MetricDefinition metric) =>
        Epochs.Where(e => double.IsFinite(e.ValAccuracy))
            .Aggregate((EpochPoint?)null, (best, e) => best is null || metric.IsBetter(e.ValAccuracy, best.ValAccuracy) ? e : best)?.Epoch;

    public static TrialView From(Trial trial)
    {
        var view = new TrialView
        {
            Id = trial.Id, Number = trial.Number, Status = trial.Status.ToString().ToLowerInvariant(), ValAccuracy = trial.ValMetric,
            ValLoss = trial.ValLoss, Params = trial.Params, Flops = trial.Flops, LatencyMs = trial.LatencyMs, Device = trial.Device, Error = trial.Error,
            InheritedFromNumber = trial.InheritedFromTrialNumber,
            Architecture = ConfigText(trial, c => TrialConfigDescription.Architecture(c.Architecture), d => d.Architecture),
            Training = ConfigText(trial, TrialConfigDescription.Training, d => d.Training),
            Parameters = trial.Search is { } search && TrialPoints.Space(search) is { } space ? TrialPoints.Point(trial, search, space) : null,
        };
        view.Epochs.AddRange(trial.Epochs.OrderBy(e => e.Epoch).Select(e => new EpochPoint(e.Epoch, e.TrainLoss, e.ValLoss, e.ValMetric, e.Seconds)));
        return view;
    }

    // A row whose configuration cannot be read still shows its metrics. Tabular and text trials store configurations
    // of their own shape, which would read as an empty image network.
    private static string? ConfigText(Trial trial, Func<TrialConfig, string> describe, Func<(string Architecture, string Training), string> describeRow)
    {
        try
        {
            return trial.Search is { } search && SearchTasks.UsesRows(search.Task)
                ? describeRow(RowTrials.Describe(trial, search.Task))
                : describe(trial.Config());
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or ArgumentException)
        {
            return null;
        }
    }
}

/// <summary>
/// The trials of one search as the browser sees them. Events arrive in order per trial but may repeat after a job is
/// delivered twice, so applying one is idempotent (an epoch replaces its earlier copy).
/// </summary>
public sealed class SearchLiveState(Guid searchId)
{
    private readonly List<TrialView> _trials = [];

    public Guid SearchId { get; } = searchId;

    /// <summary>The search's metric: which epoch is a trial's best depends on its direction.</summary>
    public MetricDefinition Metric { get; set; } = MetricCatalog.Accuracy;

    public IReadOnlyList<TrialView> Trials => _trials;

    public void Load(IEnumerable<TrialView> trials)
    {
        _trials.Clear();
        _trials.AddRange(trials.OrderBy(t => t.Number));
    }

    /// <summary>Puts <paramref name="trial"/> (read again from the database) in place of its earlier view.</summary>
    public void Replace(TrialView trial)
    {
        var at = _trials.FindIndex(t => t.Id == trial.Id);
        if (at >= 0) _trials[at] = trial;
        else
        {
            _trials.Add(trial);
            _trials.Sort((a, b) => a.Number.CompareTo(b.Number));
        }
    }

    /// <summary>Applies an event of this search; false when it belongs to another search.</summary>
    public bool Apply(SearchEvent searchEvent)
    {
        if (searchEvent.SearchId != SearchId) return false;
        switch (searchEvent)
        {
            case TrialStarted started:
                var trial = Find(started.TrialId, started.Number);
                trial.Status = "running";
                trial.Device = started.Device;
                break;
            case EpochCompleted epoch:
                var running = Find(epoch.TrialId, epoch.Number);
                running.Status = "running";
                running.Epochs.RemoveAll(e => e.Epoch == epoch.Epoch);
                running.Epochs.Add(new EpochPoint(epoch.Epoch, epoch.TrainLoss, epoch.ValLoss, epoch.ValMetric, epoch.Seconds));
                running.Epochs.Sort((a, b) => a.Epoch.CompareTo(b.Epoch));
                if (running.ValAccuracy is not { } best ? !double.IsNaN(epoch.ValMetric) : Metric.IsBetter(epoch.ValMetric, best))
                {
                    running.ValAccuracy = epoch.ValMetric;
                    running.ValLoss = epoch.ValLoss;
                }
                break;
            case TrialCompleted completed:
                var done = Find(completed.TrialId, completed.Number);
                done.Status = completed.Status;
                done.ValAccuracy = completed.ValMetric ?? done.ValAccuracy;
                done.Params = completed.Params;
                done.Error = completed.Error;
                break;
        }
        return true;
    }

    private TrialView Find(Guid trialId, int number)
    {
        var trial = _trials.FirstOrDefault(t => t.Id == trialId);
        if (trial is not null) return trial;
        trial = new TrialView { Id = trialId, Number = number };
        _trials.Add(trial);
        _trials.Sort((a, b) => a.Number.CompareTo(b.Number));
        return trial;
    }
}
