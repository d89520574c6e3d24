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

    private double SearchMinutes =>
        ((DateTimeOffset?)Search["completedAt"] - (DateTimeOffset?)Search["startedAt"])?.TotalMinutes ?? double.NaN;

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
