using AutoMLStudio.Core.Searches;

namespace AutoMLStudio.Web.Components.Shared;

/// <summary>
/// The trials of one search as the browser sees them. Events arrive in order per trial but may repeat after a job is
/// delivered twice, so applying one is idempotent (an epoch replaces its earlier copy).
/// </summary>
public sealed class SearchLiveState(Guid searchId)
{
    private readonly List<TrialView> _trials = [];

    public Guid SearchId { get; } = searchId;

    /// <summary>The search's metric: which epoch is a trial's best depends on its direction.</summary>
    public SearchMetric Metric { get; set; } = SearchMetric.Accuracy;

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
