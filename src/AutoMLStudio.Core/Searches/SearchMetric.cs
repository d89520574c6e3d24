using AutoMLStudio.Engine.Metrics;

namespace AutoMLStudio.Core.Searches;

/// <summary>
/// A metric as pages and the API show it: its name, its words, its direction and whether it reads as a percentage.
/// The Engine's catalogue decides all of it; this mirror keeps Engine types out of Web.
/// </summary>
public sealed record SearchMetric(string Name, string DisplayName, bool LowerIsBetter, bool IsFraction, bool NeedsCostMatrix)
{
    public static SearchMetric Accuracy { get; } = From(MetricCatalog.Accuracy);
    public static SearchMetric MacroF1 { get; } = From(MetricCatalog.MacroF1);
    public static SearchMetric Cost { get; } = From(MetricCatalog.Cost);
    public static SearchMetric Rmse { get; } = From(MetricCatalog.Rmse);
    public static SearchMetric Mae { get; } = From(MetricCatalog.Mae);

    /// <summary>The metrics a classification search offers, in the order a user is offered them.</summary>
    public static IReadOnlyList<SearchMetric> Classification { get; } = [.. MetricCatalog.Classification.Select(From)];

    /// <summary>The metrics a regression search offers, in the order a user is offered them.</summary>
    public static IReadOnlyList<SearchMetric> Regression { get; } = [.. MetricCatalog.Regression.Select(From)];

    /// <summary>The metrics a search of <paramref name="task"/> can optimise, in the order a user is offered them.</summary>
    public static IReadOnlyList<SearchMetric> For(SearchTask task) => [.. SearchTasks.MetricsFor(task).Select(From)];

    public static SearchMetric From(MetricDefinition metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return new(metric.Name, metric.DisplayName, metric.LowerIsBetter, metric.IsFraction, metric.NeedsCostMatrix);
    }

    /// <summary>The metric called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static SearchMetric? Find(string? name) => MetricCatalog.Find(name) is { } metric ? From(metric) : null;

    // Pages that still hold an Engine definition pass it where a SearchMetric is asked for.
    public static implicit operator SearchMetric(MetricDefinition metric) => From(metric);

    private MetricDefinition Definition =>
        new(Name, DisplayName, LowerIsBetter ? MetricDirection.LowerIsBetter : MetricDirection.HigherIsBetter, IsFraction, NeedsCostMatrix);

    /// <summary>True when <paramref name="candidate"/> is strictly better than <paramref name="incumbent"/>; NaN is never better.</summary>
    public bool IsBetter(double candidate, double incumbent) => Definition.IsBetter(candidate, incumbent);

    /// <summary>The value turned higher-is-better (negated when lower is better), to rank values of either direction.</summary>
    public double Maximised(double value) => Definition.Maximised(value);
}

public static class SearchMetrics
{
    /// <summary>The metric the search optimises; searches stored before objectives optimised accuracy.</summary>
    public static SearchMetric MetricView(this Search search) => SearchMetric.From(search.MetricDefinition());
}
