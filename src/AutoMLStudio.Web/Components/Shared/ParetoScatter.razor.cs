using System.Globalization;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Engine.Search;
using Microsoft.AspNetCore.Components;

namespace AutoMLStudio.Web.Components.Shared;

/// <summary>Validation accuracy of each completed trial against its parameters or latency, with the Pareto front highlighted.</summary>
public partial class ParetoScatter
{
    private const int Width = 720, Height = 300, Left = 48, Right = 24, Top = 12, Bottom = 40;

    private sealed record ScatterPoint(int Number, double Metric, double Cost, bool OnFront);

    [Parameter, EditorRequired] public IReadOnlyList<TrialView> Trials { get; set; } = [];

    /// <summary>The search's <c>objective.tradeOff</c>: "params" or "latency".</summary>
    [Parameter, EditorRequired] public string TradeOff { get; set; } = TradeOffs.Params;

    private List<ScatterPoint> Points { get; set; } = [];
    private List<ScatterPoint> Front { get; set; } = [];
    private List<double> YTicks { get; set; } = [];
    private List<double> XTicks { get; set; } = [];
    private double _yMin, _logMin, _logMax;

    private bool IsLatency => TradeOff == TradeOffs.Latency;
    private string CostTitle => IsLatency ? "latency (ms)" : "parameters";

    // Rebuilt on every render, as LearningCurves is: live events change the trials in place.
    protected override void OnParametersSet() => Build();

    protected override bool ShouldRender()
    {
        Build();
        return true;
    }

    private void Build()
    {
        var completed = Trials
            .Where(t => t.Status == "completed" && t.ValAccuracy is { } v && double.IsFinite(v) && Cost(t) is > 0)
            .Select(t => (t.Number, Metric: t.ValAccuracy!.Value, Cost: Cost(t)!.Value)).ToList();
        var onFront = ParetoFront.Of(completed, p => p.Metric, p => p.Cost).Select(p => p.Number).ToHashSet();
        Points = completed.Select(p => new ScatterPoint(p.Number, p.Metric, p.Cost, onFront.Contains(p.Number))).ToList();
        Front = Points.Where(p => p.OnFront).OrderBy(p => p.Cost).ThenByDescending(p => p.Metric).ToList();

        // Accuracy from a round tenth below the worst trial to 100%, so close trials do not all sit at the top.
        _yMin = Points.Count == 0 ? 0 : Math.Clamp(Math.Floor(Points.Min(p => p.Metric) * 10 - 0.5) / 10, 0, 0.9);
        YTicks = Enumerable.Range(0, 5).Select(i => _yMin + (1 - _yMin) * i / 4).ToList();
        var costs = Points.Select(p => p.Cost).DefaultIfEmpty(1).ToList();
        var (low, high) = (NiceAtOrBelow(costs.Min()), NiceAtOrAbove(costs.Max()));
        if (low == high) (low, high) = (NiceAtOrBelow(low * 0.99), NiceAtOrAbove(high * 1.01));
        (_logMin, _logMax) = (Math.Log10(low), Math.Log10(high));
        XTicks = NiceSteps(low, high).ToList();
    }

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

    private double? Cost(TrialView trial) => IsLatency ? trial.LatencyMs : trial.Params;

    private double X(double cost) => Left + (Math.Log10(cost) - _logMin) / (_logMax - _logMin) * (Width - Left - Right);

    private double Y(double metric) => Height - Bottom - (Math.Clamp(metric, _yMin, 1) - _yMin) / (1 - _yMin) * (Height - Top - Bottom);

    private static string Tick(double value) => value.ToString("0%", CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private string FormatCost(double cost) => IsLatency
        ? cost.ToString(cost < 1 ? "0.###" : "0.#", CultureInfo.InvariantCulture) + " ms"
        : Formats.Count((long)Math.Round(cost));
}
