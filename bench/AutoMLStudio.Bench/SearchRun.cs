using System.Text.Json.Nodes;

namespace AutoMLStudio.Bench;

/// <summary>A finished search as the REST API reports it: the search and its trials with their epoch rows.</summary>
public sealed record SearchRun(string Algorithm, JsonNode Search, JsonArray Trials, TimeSpan Wall)
{
    public double BestValidation => EpochEnds().Select(e => e.ValMetric).DefaultIfEmpty(0).Max();

    public void Print()
    {
        var best = Search["best"];
        string Count(string status) => Trials.Count(t => (string?)t!["status"] == status).ToString();
        Console.WriteLine($"{Algorithm} search: {Search["status"]} ({Search["algorithmReason"]})");
        if (Search["error"] is { } error) Console.WriteLine($"  error              {error}");
        if (best is null)
            Console.WriteLine($"  best validation    {BestValidation:P2}   (stopped before the final retrain and test)");
        else
        {
            Console.WriteLine($"  test accuracy      {(double?)best["testAccuracy"]:P2}   (best trial #{best["number"]}, validation {(double?)best["valMetric"]:P2})");
            Console.WriteLine($"  parameters         {(long?)best["params"]:N0}");
            Console.WriteLine($"  FLOPs              {(long?)best["flops"]:N0}");
        }
        Console.WriteLine($"  trials             {Count("completed")} completed, {Count("pruned")} pruned, {Count("failed")} failed");
        if (Search["finalRetrain"] is { } retrain) Console.WriteLine($"  final retrain      {retrain["state"]}: {retrain["reason"]}");
        Console.WriteLine($"  wall time          {Wall.TotalMinutes:0.0} min (search started to completed: {SearchMinutes:0.0} min)");
    }

    /// <summary>Minutes from the search's start until an epoch first reached <paramref name="target"/>, or null.</summary>
    public double? MinutesToReach(double target) =>
        EpochEnds().Where(e => e.ValMetric >= target).Select(e => (double?)e.Minutes).Min();

    /// <summary>
    /// Minutes from the search's start until its best-so-far validation metric first came within 1 % of its final best
    /// (at least 99 % of it; for a lower-is-better metric such as RMSE at most 101 %), and that final best; null
    /// without epoch rows.
    /// </summary>
    public (double Minutes, double Final)? TimeToQuality(bool lowerIsBetter)
    {
        var known = EpochsKnownAt().Where(e => double.IsFinite(e.ValMetric)).OrderBy(e => e.Minutes).ToList();
        if (known.Count == 0) return null;
        var final = lowerIsBetter ? known.Min(e => e.ValMetric) : known.Max(e => e.ValMetric);
        var reached = known.First(e => lowerIsBetter ? e.ValMetric <= final * 1.01 : e.ValMetric >= final * 0.99);
        return (reached.Minutes, final);
    }

    private double SearchMinutes =>
        ((DateTimeOffset?)Search["completedAt"] - (DateTimeOffset?)Search["startedAt"])?.TotalMinutes ?? double.NaN;

    // Counted back from the trial's completion where it has one: an ASHA trial waits between rungs, so counting forward
    // from its start would date its later epochs too early and make the search look faster than it was.
    private IEnumerable<(double Minutes, double ValMetric)> EpochsKnownAt()
    {
        var searchStart = (DateTimeOffset?)Search["startedAt"] ?? DateTimeOffset.MinValue;
        foreach (var trial in Trials)
        {
            var epochs = trial!["epochs"]!.AsArray().OrderBy(e => (int)e!["epoch"]!).ToList();
            // A learner that reports no epoch rows (an ensemble built from other trials' outputs) is known when it completes.
            if (epochs.Count == 0 && (DateTimeOffset?)trial["completedAt"] is { } done && (double?)trial["metrics"]?["valMetric"] is { } only)
                yield return ((done - searchStart).TotalMinutes, only);
            else if ((DateTimeOffset?)trial["completedAt"] is { } completed)
            {
                var seconds = (completed - searchStart).TotalSeconds;
                for (var i = epochs.Count - 1; i >= 0; i--)
                {
                    yield return (seconds / 60, (double)epochs[i]!["valMetric"]!);
                    seconds -= (double)epochs[i]!["seconds"]!;
                }
            }
            else if ((DateTimeOffset?)trial["startedAt"] is { } started)
            {
                var seconds = (started - searchStart).TotalSeconds;
                foreach (var epoch in epochs)
                {
                    seconds += (double)epoch!["seconds"]!;
                    yield return (seconds / 60, (double)epoch["valMetric"]!);
                }
            }
        }
    }

    // An epoch row carries its duration, not its end; its end is the trial's start plus the durations so far.
    private IEnumerable<(double Minutes, double ValMetric)> EpochEnds()
    {
        var searchStart = (DateTimeOffset?)Search["startedAt"] ?? DateTimeOffset.MinValue;
        foreach (var trial in Trials)
        {
            if ((DateTimeOffset?)trial!["startedAt"] is not { } trialStart) continue;
            var seconds = (trialStart - searchStart).TotalSeconds;
            foreach (var epoch in trial["epochs"]!.AsArray().OrderBy(e => (int)e!["epoch"]!))
            {
                seconds += (double)epoch!["seconds"]!;
                yield return (seconds / 60, (double)epoch["valMetric"]!);
            }
        }
    }
}
