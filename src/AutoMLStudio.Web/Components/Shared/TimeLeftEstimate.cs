using AutoMLStudio.Core.Searches;

namespace AutoMLStudio.Web.Components.Shared;

/// <summary>
/// How long a running search has left: the epochs its running and not yet started trials still have to train, at the
/// pace its epochs have taken so far, spread over the trials running side by side, and never more than the time budget
/// left. Early stopping only shortens this, so it reads as "about" rather than a promise. Without a trial limit the
/// search proposes trials until its minutes are spent, so the time budget left is the estimate.
/// </summary>
public static class TimeLeftEstimate
{
    /// <summary>Minutes left; null until an epoch has finished (there is no pace to go by before that).</summary>
    public static double? Minutes(IReadOnlyList<TrialView> trials, int? maxTrials, int epochsPerTrial, double maxMinutes, double minutesElapsed)
    {
        var budgetLeft = Math.Max(0, maxMinutes - minutesElapsed);
        var own = trials.Where(t => t.InheritedFromNumber is null).ToList();
        var epochSeconds = own.SelectMany(t => t.Epochs).Select(e => e.Seconds).Where(s => s > 0).ToList();
        if (epochSeconds.Count == 0) return null;

        if (maxTrials is not { } limit) return budgetLeft;
        var unfinished = own.Where(t => t.Status is "queued" or "running").ToList();
        var epochsLeft = unfinished.Sum(t => Math.Max(0, epochsPerTrial - t.Epochs.Count))
                         + Math.Max(0, limit - own.Count) * epochsPerTrial;
        var sideBySide = Math.Max(1, own.Count(t => t.Status == "running"));
        return Math.Min(budgetLeft, epochsLeft * epochSeconds.Average() / sideBySide / 60);
    }
}
