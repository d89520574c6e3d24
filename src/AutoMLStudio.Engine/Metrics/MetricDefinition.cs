namespace AutoMLStudio.Engine.Metrics;

/// <summary>Which way a metric improves.</summary>
public enum MetricDirection
{
    /// <summary>Larger values are better (accuracy, F1).</summary>
    HigherIsBetter,

    /// <summary>Smaller values are better (cost, errors).</summary>
    LowerIsBetter,
}

/// <summary>Turning values of either direction into the higher-is-better scores that strategies and schedulers rank.</summary>
public static class MetricDirectionExtensions
{
    /// <summary>
    /// <paramref name="value"/> as higher-is-better: negated when lower is better, so applying it twice gives the value
    /// back. NaN becomes -∞, so a diverged trial ranks last.
    /// </summary>
    public static double Maximised(this MetricDirection direction, double value) =>
        double.IsNaN(value) ? double.NegativeInfinity : direction == MetricDirection.LowerIsBetter ? -value : value;
}

/// <summary>A metric a search can optimise: its API name, its words for people, and its direction.</summary>
/// <param name="Name">The name in the API (<c>accuracy</c>, <c>macro_f1</c>, <c>cost</c>).</param>
/// <param name="DisplayName">What the UI and messages call it.</param>
/// <param name="Direction">Which way it improves.</param>
/// <param name="IsFraction">True for scores in [0, 1] shown as percentages.</param>
/// <param name="NeedsCostMatrix">True when it is computed from a cost matrix the user gives.</param>
public sealed record MetricDefinition(string Name, string DisplayName, MetricDirection Direction, bool IsFraction, bool NeedsCostMatrix)
{
    /// <summary>True when smaller values are better.</summary>
    public bool LowerIsBetter => Direction == MetricDirection.LowerIsBetter;

    /// <summary>True when <paramref name="candidate"/> is strictly better than <paramref name="incumbent"/>; NaN is never better.</summary>
    public bool IsBetter(double candidate, double incumbent) =>
        !double.IsNaN(candidate) && (double.IsNaN(incumbent) || (LowerIsBetter ? candidate < incumbent : candidate > incumbent));

    /// <summary>The value turned higher-is-better (negated when lower is better), for strategies and schedulers that maximise.</summary>
    public double Maximised(double value) => Direction.Maximised(value);
}

/// <summary>The metrics the engine knows. Adding one is one entry here plus how it is scored.</summary>
public static class MetricCatalog
{
    /// <summary>Share of correct answers.</summary>
    public static MetricDefinition Accuracy { get; } = new("accuracy", "accuracy", MetricDirection.HigherIsBetter, IsFraction: true, NeedsCostMatrix: false);

    /// <summary>Mean per-class F1: every class counts the same, whatever its size.</summary>
    public static MetricDefinition MacroF1 { get; } = new("macro_f1", "macro F1", MetricDirection.HigherIsBetter, IsFraction: true, NeedsCostMatrix: false);

    /// <summary>Expected cost of mistakes per item, from the user's cost matrix.</summary>
    public static MetricDefinition Cost { get; } = new("cost", "cost per item", MetricDirection.LowerIsBetter, IsFraction: false, NeedsCostMatrix: true);

    /// <summary>Root mean squared error of a regression, in the target's units.</summary>
    public static MetricDefinition Rmse { get; } = new(RegressionMetrics.Rmse, "RMSE", MetricDirection.LowerIsBetter, IsFraction: false, NeedsCostMatrix: false);

    /// <summary>Mean absolute error of a regression, in the target's units.</summary>
    public static MetricDefinition Mae { get; } = new(RegressionMetrics.Mae, "MAE", MetricDirection.LowerIsBetter, IsFraction: false, NeedsCostMatrix: false);

    /// <summary>Every metric for classification, in the order a user is offered them.</summary>
    public static IReadOnlyList<MetricDefinition> Classification { get; } = [Accuracy, MacroF1, Cost];

    /// <summary>Every metric for regression, in the order a user is offered them.</summary>
    public static IReadOnlyList<MetricDefinition> Regression { get; } = [Rmse, Mae];

    /// <summary>The metric called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static MetricDefinition? Find(string? name) =>
        Classification.Concat(Regression).FirstOrDefault(m => string.Equals(m.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
}
