using System.Globalization;
using AutoMLStudio.Core.Searches;
using Microsoft.AspNetCore.Components;

namespace AutoMLStudio.Web.Components.Shared;

/// <summary>What the scatter's x axis measures a trial by.</summary>
public enum ScatterAxis { Params, Flops, Latency }

/// <summary>
/// The validation metric of each completed trial against its parameters, FLOPs or latency (log scale), with the Pareto
/// front highlighted and the search's limit on that axis drawn as a line.
/// </summary>
public partial class ParetoScatter
{
    private const int Width = 720, Height = 300, Left = 48, Right = 24, Top = 12, Bottom = 40;
    // Trials drawn in the same 3-pixel cell are spread apart sideways, 7 pixels each, so none hides another.
    private const double OverlapPixels = 3, SpreadPixels = 7;
    // A limit far beyond every trial would squash them into a corner; past this factor it is named instead of drawn.
    private const double LimitReach = 100;

    /// <param name="Shift">Pixels to the side, when other trials share the spot.</param>
    /// <param name="SameSpot">The numbers of every trial at this spot, when there is more than one.</param>
    private sealed record ScatterPoint(int Number, double Metric, double Cost, bool OnFront, double Shift = 0, IReadOnlyList<int>? SameSpot = null);

    private static readonly (ScatterAxis Axis, string Label)[] Axes =
        [(ScatterAxis.Params, "Parameters"), (ScatterAxis.Flops, "FLOPs"), (ScatterAxis.Latency, "Latency")];

    private ScatterAxis? _chosen;

    [Parameter, EditorRequired] public IReadOnlyList<TrialView> Trials { get; set; } = [];

    /// <summary>The search's <c>objective.tradeOff</c> ("params" or "latency"), when it has one: the axis shown first.</summary>
    [Parameter] public string? TradeOff { get; set; }

    /// <summary>The search's limits; the one on the shown axis is drawn as a vertical line.</summary>
    [Parameter] public ConstraintsRequest? Limits { get; set; }

    /// <summary>The search's metric: it names the y axis, and its direction decides which trials are on the front.</summary>
    [Parameter] public SearchMetric Metric { get; set; } = SearchMetric.Accuracy;

    /// <summary>The PNG download's file name (for another axis than the first, the axis is added).</summary>
    [Parameter] public string PngName { get; set; } = "pareto-front";

    private List<ScatterPoint> Points { get; set; } = [];
    private List<ScatterPoint> Front { get; set; } = [];
    private List<double> YTicks { get; set; } = [];
    private List<double> XTicks { get; set; } = [];
    private double _yMin, _yMax = 1, _logMin, _logMax;

    private ScatterAxis DefaultAxis => TradeOff == TradeOffs.Latency ? ScatterAxis.Latency : ScatterAxis.Params;
    private ScatterAxis Axis => _chosen ?? DefaultAxis;
    private string FileName => Axis == DefaultAxis ? PngName : $"{PngName}-{Axis.ToString().ToLowerInvariant()}";
    private string CostTitle => Axis switch { ScatterAxis.Latency => "latency (ms)", ScatterAxis.Flops => "FLOPs", _ => "parameters" };
    private string Cheaper => Axis switch { ScatterAxis.Latency => "faster", ScatterAxis.Flops => "needs fewer operations", _ => "smaller" };
    private string MetricTitle => $"Validation {Metric.DisplayName} ({Formats.Direction(Metric)})";

    private double? Limit => Axis switch
    {
        ScatterAxis.Params => Limits?.MaxParams,
        ScatterAxis.Flops => Limits?.MaxFlops,
        _ => Limits?.MaxLatencyMs,
    };

    /// <summary>The limit when it lies within the drawn range; otherwise it is named under the chart.</summary>
    private double? DrawnLimit => Limit is { } limit && Math.Log10(limit) >= _logMin && Math.Log10(limit) <= _logMax ? limit : null;

    // Rebuilt on every render, as LearningCurves is: live events change the trials in place.
    protected override void OnParametersSet() => Build();

    protected override bool ShouldRender()
    {
        Build();
        return true;
    }

    private void Choose(ScatterAxis axis) => _chosen = axis;

    private void Build()
    {
        var completed = Trials
            .Where(t => t.Status == "completed" && t.ValAccuracy is { } v && double.IsFinite(v) && Cost(t) is > 0)
            .Select(t => (t.Number, Metric: t.ValAccuracy!.Value, Cost: Cost(t)!.Value)).ToList();
        var onFront = TrialFronts.Of(completed, Metric, p => p.Metric, p => p.Cost).Select(p => p.Number).ToHashSet();
        Points = completed.Select(p => new ScatterPoint(p.Number, p.Metric, p.Cost, onFront.Contains(p.Number))).ToList();
        Front = Points.Where(p => p.OnFront).OrderBy(p => p.Cost).ThenByDescending(p => p.Metric).ToList();

        // A share (accuracy, F1) from a round tenth below the worst trial to 100%, so close trials do not all sit at the top;
        // a cost from 0 to a little above the dearest trial.
        var values = Points.Select(p => p.Metric).DefaultIfEmpty(Metric.IsFraction ? 0 : 1).ToList();
        (_yMin, _yMax) = Metric.IsFraction
            ? (Math.Clamp(Math.Floor(values.Min() * 10 - 0.5) / 10, 0, 0.9), 1.0)
            : (0.0, Math.Max(values.Max() * 1.1, 1e-6));
        YTicks = Enumerable.Range(0, 5).Select(i => _yMin + (_yMax - _yMin) * i / 4).ToList();
        var costs = Points.Select(p => p.Cost).DefaultIfEmpty(Limit ?? 1).ToList();
        if (Limit is { } limit && limit <= costs.Max() * LimitReach && limit >= costs.Min() / LimitReach) costs.Add(limit);
        var (low, high) = (NiceAtOrBelow(costs.Min()), NiceAtOrAbove(costs.Max()));
        if (low == high) (low, high) = (NiceAtOrBelow(low * 0.99), NiceAtOrAbove(high * 1.01));
        (_logMin, _logMax) = (Math.Log10(low), Math.Log10(high));
        XTicks = NiceSteps(low, high).ToList();
        Points = SpreadOverlaps(Points);
    }

    private List<ScatterPoint> SpreadOverlaps(IEnumerable<ScatterPoint> points) =>
        [.. points.GroupBy(p => (Math.Round(X(p.Cost) / OverlapPixels), Math.Round(Y(p.Metric) / OverlapPixels)))
            .SelectMany(spot =>
            {
                var here = spot.OrderBy(p => p.Number).ToList();
                return here.Count == 1 ? here : here.Select((p, i) => p with
                {
                    Shift = (i - (here.Count - 1) / 2.0) * SpreadPixels, SameSpot = [.. here.Select(h => h.Number)],
                });
            })
            .OrderBy(p => p.Number)];

    private string Tooltip(ScatterPoint point) =>
        $"Trial {point.Number}: {Formats.Metric(point.Metric, Metric)} at {FormatCost(point.Cost)}{(point.OnFront ? " (on the front)" : "")}"
        + (point.SameSpot is { } same ? $" · {same.Count} trials at this spot: {string.Join(", ", same)}" : "");

    // Axis ticks at 1, 2 and 5 times a power of ten, which read better on a log scale than even log steps (31.6K).
    private static IEnumerable<double> NiceSteps(double low, double high)
    {
        for (var decade = Math.Floor(Math.Log10(low)); decade <= Math.Ceiling(Math.Log10(high)); decade++)
            foreach (var step in new[] { 1, 2, 5 })
                if (step * Math.Pow(10, decade) is var tick && tick >= low * 0.999 && tick <= high * 1.001) yield return tick;
    }

    private static double NiceAtOrBelow(double value) =>
        NiceSteps(Math.Pow(10, Math.Floor(Math.Log10(value))), value).Last();

    private static double NiceAtOrAbove(double value) =>
        NiceSteps(value, Math.Pow(10, Math.Ceiling(Math.Log10(value)) + 1)).First();

    private double? Cost(TrialView trial) => Axis switch
    {
        ScatterAxis.Latency => trial.LatencyMs,
        ScatterAxis.Flops => trial.Flops,
        _ => trial.Params,
    };

    private double X(double cost) => Left + (Math.Log10(cost) - _logMin) / (_logMax - _logMin) * (Width - Left - Right);

    private double Y(double metric) => Height - Bottom - (Math.Clamp(metric, _yMin, _yMax) - _yMin) / (_yMax - _yMin) * (Height - Top - Bottom);

    private string Tick(double value) => Metric.IsFraction ? value.ToString("0%", CultureInfo.InvariantCulture) : Formats.Metric(value, Metric);

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private string LimitText(double limit) => FormatCost(limit) + Axis switch { ScatterAxis.Params => " parameters", ScatterAxis.Flops => " FLOPs", _ => "" };

    private string FormatCost(double cost) => Axis == ScatterAxis.Latency
        ? cost.ToString(cost < 1 ? "0.###" : "0.#", CultureInfo.InvariantCulture) + " ms"
        : Formats.Count((long)Math.Round(cost));
}
