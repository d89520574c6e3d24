namespace AutoMLStudio.Core.Searches;

/// <summary>
/// A refined search's first trials: the parent's completed trials, re-scored from their stored validation confusion
/// matrices under the new objective (a new metric or cost matrix needs no retraining) and checked against the new
/// limits. A trial without one (regression, which keeps only its error) keeps its value while the metric stays the same. They keep their weights in the original's folder, so registering or evaluating them works; one that breaks a
/// new limit is carried over as pruned, with the reason, so it is shown but never chosen as best.
/// </summary>
public static class InheritedTrials
{
    /// <summary>The carried-over trials for <paramref name="child"/>, numbered 1.. in the parent's order.</summary>
    public static IReadOnlyList<Trial> From(Search child, Search parent, IEnumerable<Trial> parentTrials)
    {
        var objective = child.EngineObjective();
        var constraints = child.Objective.Constraints;
        var sameMetric = child.Metric == parent.Metric && !objective.Metric.NeedsCostMatrix;
        var number = 0;
        return [.. parentTrials.Where(t => t.Status == TrialStatus.Completed).OrderBy(t => t.Number).Select(t =>
        {
            var confusion = t.ValConfusion;
            var value = confusion is not null ? objective.Score(confusion) : sameMetric ? t.ValMetric : null;
            var notEligible = value is null
                ? confusion is null && SearchTasks.IsRegression(parent.Task)
                    ? $"Not re-scored: a regression trial keeps only its validation {parent.Metric}, not what {child.Metric} needs."
                    : "Not re-scored: this trial's validation results predate stored confusion matrices."
                : LimitBroken(t, constraints);
            return new Trial
            {
                SearchId = child.Id,
                Number = ++number,
                Status = notEligible is null ? TrialStatus.Completed : TrialStatus.Pruned,
                Error = notEligible,
                ConfigJson = t.ConfigJson,
                ValMetric = value,
                ValLoss = t.ValLoss,
                ValConfusion = t.ValConfusion,
                Params = t.Params,
                Flops = t.Flops,
                LatencyMs = t.LatencyMs,
                Device = t.Device,
                InheritedFromSearchId = parent.Id,
                InheritedFromTrialNumber = t.Number,
                CheckpointFolder = t.Checkpoints(),
                StartedAt = t.StartedAt,
                CompletedAt = t.CompletedAt,
            };
        })];
    }

    /// <summary>Which new limit the trial breaks, in words; null when it fits. Latency is the one measured after training.</summary>
    private static string? LimitBroken(Trial trial, ConstraintsRequest? constraints) => constraints switch
    {
        { MaxParams: { } max } when trial.Params > max => $"Over the new parameter limit ({trial.Params:N0} > {max:N0}).",
        { MaxFlops: { } max } when trial.Flops > max => $"Over the new FLOP limit ({trial.Flops:N0} > {max:N0}).",
        { MaxLatencyMs: { } max } when trial.LatencyMs is not { } latency || latency > max =>
            trial.LatencyMs is null ? "Latency never measured, so it cannot be held to the new latency limit." : $"Over the new latency limit ({trial.LatencyMs:0.##} ms > {max:0.##} ms).",
        _ => null,
    };
}
