namespace AutoMLStudio.Engine.Search;

/// <summary>
/// Two-objective comparisons for a search that trades its metric (higher is better) against a cost such as parameters or
/// latency (lower is better).
/// </summary>
public static class ParetoFront
{
    /// <summary>
    /// The items no other item dominates, sorted by cost (then metric, best first). An item dominates another when it is
    /// at least as good on both objectives and better on one; so items with equal metric and cost are all on the front.
    /// </summary>
    public static IReadOnlyList<T> Of<T>(IEnumerable<T> items, Func<T, double> metric, Func<T, double> cost)
    {
        ArgumentNullException.ThrowIfNull(items);
        var points = items.Select(item => (Item: item, Metric: metric(item), Cost: cost(item))).ToList();
        return points
            .Where(p => !points.Any(q => q.Metric >= p.Metric && q.Cost <= p.Cost && (q.Metric > p.Metric || q.Cost < p.Cost)))
            .OrderBy(p => p.Cost).ThenByDescending(p => p.Metric)
            .Select(p => p.Item)
            .ToList();
    }

    /// <summary>
    /// One higher-is-better number per point for a single-objective strategy: <c>w * metric' - (1 - w) * cost'</c>, where
    /// both are min-max scaled over the points (the cost on a log scale, since sizes span orders of magnitude). A fresh
    /// random <paramref name="weight"/> per trial makes the strategy aim at a different part of the front each time, the
    /// random-weights scalarisation of ParEGO; every weight's optimum is a point of the front.
    /// </summary>
    public static IReadOnlyList<double> Scalarise(IReadOnlyList<(double Metric, double Cost)> points, double weight)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentOutOfRangeException.ThrowIfLessThan(weight, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(weight, 1);
        var metrics = points.Select(p => p.Metric).ToList();
        var costs = points.Select(p => Math.Log(Math.Max(p.Cost, 1e-9))).ToList();
        return points.Select((_, i) => weight * Scaled(metrics, i) - (1 - weight) * Scaled(costs, i)).ToList();
    }

    private static double Scaled(List<double> values, int index)
    {
        var (min, max) = (values.Min(), values.Max());
        return max > min ? (values[index] - min) / (max - min) : 0;
    }
}
