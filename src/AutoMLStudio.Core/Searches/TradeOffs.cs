using AutoMLStudio.Engine;

namespace AutoMLStudio.Core.Searches;

/// <summary>
/// Multi-objective mode: with <c>objective.tradeOff</c> set, a search weighs its metric against the trials' parameters
/// ("params") or measured latency ("latency") and keeps the Pareto front of the two.
/// </summary>
public static class TradeOffs
{
    public const string Params = "params";
    public const string Latency = "latency";
    public static readonly IReadOnlyList<string> Names = [Params, Latency];

    public static string? TradeOff(this Search search) => search.Objective.TradeOff;

    /// <summary>The trial's second objective (lower is better); null where it is not known.</summary>
    public static double? Cost(this Trial trial, string tradeOff) => tradeOff == Latency ? trial.LatencyMs : trial.Params;

    /// <summary>The completed trials no other completed trial beats on both metric and cost, by cost; empty outside the mode.</summary>
    public static IReadOnlyList<Trial> ParetoFront(this Search search, IEnumerable<Trial> trials)
    {
        if (search.TradeOff() is not { } tradeOff) return [];
        var metric = search.MetricDefinition();
        return Engine.Search.ParetoFront.Of(
            trials.Where(t => t.Status == TrialStatus.Completed && t.ValMetric is not null && t.Cost(tradeOff) is not null),
            t => metric.Maximised(t.ValMetric!.Value), t => t.Cost(tradeOff)!.Value);
    }

    /// <summary>
    /// What the strategy is told for each finished trial before it asks trial <paramref name="nextNumber"/>: the metric, or
    /// in multi-objective mode metric and cost scalarised with a weight drawn from the seed and that number (see
    /// <see cref="Engine.Search.ParetoFront.Scalarise"/>), so each step aims at another part of the front and a restarted
    /// search is told the same. Failed and pruned trials, and trials whose cost is unknown, are told null. Strategies
    /// maximise, so a lower-is-better metric (cost of mistakes) is told negated.
    /// </summary>
    public static IReadOnlyDictionary<Guid, double?> Objectives(Search search, IReadOnlyList<Trial> finished, int nextNumber)
    {
        var metric = search.MetricDefinition();
        var objectives = finished.ToDictionary(t => t.Id,
            t => t.Status == TrialStatus.Completed && t.ValMetric is { } value ? metric.Maximised(value) : (double?)null);
        if (search.TradeOff() is not { } tradeOff) return objectives;
        var scored = finished.Where(t => objectives[t.Id] is not null && t.Cost(tradeOff) is not null).ToList();
        var result = objectives.ToDictionary(o => o.Key, _ => (double?)null);
        if (scored.Count == 0) return result;
        var weight = new Random(Seeds.Combine(search.Seed, nextNumber)).NextDouble();
        var values = Engine.Search.ParetoFront.Scalarise(scored.Select(t => (objectives[t.Id]!.Value, t.Cost(tradeOff)!.Value)).ToList(), weight);
        for (var i = 0; i < scored.Count; i++) result[scored[i].Id] = values[i];
        return result;
    }
}
