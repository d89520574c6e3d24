using System.Globalization;
using AutoMLStudio.Engine.Analysis;
using AutoMLStudio.Engine.Learners;
using AutoMLStudio.Engine.Search;

namespace AutoMLStudio.Core.Searches;

/// <summary>One trial's settings as a point of its search's space, for the charts that read trials by their settings.</summary>
public sealed class TrialPoint(ParameterSet settings)
{
    internal ParameterSet Settings { get; } = settings ?? throw new ArgumentNullException(nameof(settings));
}

/// <summary>A labelled place along an axis: <paramref name="Position"/> from 0 (bottom) to 1 (top).</summary>
public sealed record AxisMark(double Position, string Text);

/// <summary>One setting of a search's space as a chart axis.</summary>
/// <param name="Marks">Where to label the axis: every choice, every whole number of a short range, or the ends and middle.</param>
/// <param name="Log">Numbers read on a log scale.</param>
/// <param name="Choices">How many choices a categorical setting has; 0 for numbers.</param>
public sealed record SettingAxis(string Name, IReadOnlyList<AxisMark> Marks, bool Log, int Choices);

/// <summary>The statuses of an importance estimate, as the API names them.</summary>
public static class ImportanceStatus
{
    public const string Estimated = "estimated";
    public const string TooFewTrials = "too_few_trials";
    public const string MetricConstant = "metric_constant";

    internal static string Of(ImportanceOutcome outcome) => outcome switch
    {
        ImportanceOutcome.Estimated => Estimated,
        ImportanceOutcome.MetricConstant => MetricConstant,
        _ => TooFewTrials,
    };
}

/// <summary>Each setting's share of the metric's variance over some trials (see <see cref="HyperparameterImportance"/>).</summary>
/// <param name="Status">One of <see cref="ImportanceStatus"/>.</param>
/// <param name="Parameters">Every setting, largest share first; empty unless estimated.</param>
public sealed record ImportanceView(string Status, int TrialCount, IReadOnlyList<SettingImportance> Parameters)
{
    public double MainEffectsShare => Math.Min(1, Parameters.Sum(p => p.Share));

    internal static ImportanceView Of(ImportanceEstimate estimate) =>
        new(ImportanceStatus.Of(estimate.Outcome), estimate.TrialCount, [.. estimate.Parameters.Select(p => new SettingImportance(p.Name, p.Share, p.Varied))]);
}

/// <summary>
/// The flat space a search's strategies explored, as the charts draw it: an axis per setting, each trial's place on each
/// axis, and which settings moved the metric. The Engine's scales and estimator decide all of it.
/// </summary>
public sealed class SearchSpaceView
{
    private readonly ParameterSpace _space;

    public SearchSpaceView(ParameterSpace space)
    {
        _space = space ?? throw new ArgumentNullException(nameof(space));
        Axes = [.. space.Dimensions.Select(d => new SettingAxis(d.Name, Marks(d), d is NumericDimension { Log: true },
            d is CategoricalDimension c ? c.Choices.Count : 0))];
    }

    /// <summary>The search's space; null for an image search not yet prepared (its space depends on the image size).</summary>
    public static SearchSpaceView? Of(Search search) => TrialPoints.Space(search) is { } space ? new SearchSpaceView(space) : null;

    /// <summary>The fewest completed trials an estimate needs.</summary>
    public static int MinimumTrials => HyperparameterImportance.MinimumTrials;

    public IReadOnlyList<SettingAxis> Axes { get; }

    public bool Contains(TrialPoint point) => point is not null && _space.Contains(point.Settings);

    /// <summary>
    /// Where <paramref name="point"/> lies on each axis, in <see cref="Axes"/> order (0 to 1); NaN on the axes of another
    /// learner than the trial's, whose values are filled in and mean nothing (<see cref="LearnerChoice.IsActive"/>).
    /// </summary>
    public IReadOnlyList<double> Positions(TrialPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        return [.. _space.Dimensions.Select(d =>
            LearnerChoice.IsActive(d.Name, point.Settings) ? ParameterScale.Position(d, point.Settings[d.Name]) : double.NaN)];
    }

    /// <summary>Each setting's share of the variance of <paramref name="scored"/> trials' metric (over several learners: see <see cref="LearnerChoice.ImportanceFocus"/>).</summary>
    public ImportanceView Importance(IEnumerable<(TrialPoint Point, double Metric)> scored)
    {
        var (space, trials) = LearnerChoice.ImportanceFocus(_space, scored.Select(s => new ScoredPoint(s.Point.Settings, s.Metric)));
        return ImportanceView.Of(HyperparameterImportance.Estimate(space, trials));
    }

    private static List<AxisMark> Marks(ParameterDimension dimension) => dimension switch
    {
        CategoricalDimension c => [.. c.Choices.Select(choice => new AxisMark(ParameterScale.Position(c, choice), choice))],
        IntRangeDimension { Max: var max, Min: var min } i when max - min <= 4 =>
            [.. Enumerable.Range((int)min, (int)(max - min) + 1).Select(v => new AxisMark(ParameterScale.Position(i, (double)v), Value(i, (double)v)))],
        NumericDimension n => [.. new[] { 0, 0.5, 1 }.Select(q => new AxisMark(q, Value(n, ParameterScale.ValueAt(n, q))))],
        _ => [],
    };

    /// <summary>A value as its axis shows it: a choice as it is, a number with three significant digits.</summary>
    private static string Value(ParameterDimension dimension, object value) => value switch
    {
        double number when dimension is IntRangeDimension => Math.Round(number).ToString(CultureInfo.InvariantCulture),
        double number => number.ToString(Math.Abs(number) is >= 1e-3 and < 1e4 or 0 ? "0.###" : "0.##e0", CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>Multi-objective charts: the points no other point beats on both the metric and the cost.</summary>
public static class TrialFronts
{
    /// <summary>The items on the front of <paramref name="metric"/> (in its direction) against <paramref name="cost"/> (lower is better).</summary>
    public static IReadOnlyList<T> Of<T>(IEnumerable<T> items, SearchMetric metric, Func<T, double> value, Func<T, double> cost)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return ParetoFront.Of(items, t => metric.Maximised(value(t)), cost);
    }
}

/// <summary>The rules a cost matrix must follow, as the server checks them, for the form that edits one.</summary>
public static class CostMatrixRules
{
    public const double MaxCost = Engine.Metrics.Objective.MaxCost;

    /// <summary>What is wrong with <paramref name="costs"/> for <paramref name="classCount"/> classes, or null.</summary>
    public static string? Problem(double[][] costs, int classCount) => Engine.Metrics.Objective.CostMatrixProblem(costs, classCount);
}
