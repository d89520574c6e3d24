using AutoMLStudio.Core.Searches;
using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace AutoMLStudio.Web.Components.Shared;

public enum CurveMetric { ValAccuracy, ValLoss, TrainLoss }

public partial class LearningCurves
{
    private const int Width = 720, Height = 300, Left = 48, Right = 16, Top = 12, Bottom = 40;

    private static readonly string[] Palette =
        ["#1e88e5", "#e53935", "#43a047", "#fb8c00", "#8e24aa", "#00acc1", "#6d4c41", "#d81b60", "#7cb342", "#3949ab"];

    /// <summary>A trial's colour, the same wherever its curve or its column is drawn.</summary>
    public static string ColorOf(int trialNumber) => Palette[((trialNumber - 1) % Palette.Length + Palette.Length) % Palette.Length];

    // The first curve is the search's own metric (accuracy, macro F1 or cost); the key keeps its old name.
    private (CurveMetric Key, string Label)[] Metrics =>
        [(CurveMetric.ValAccuracy, $"Validation {Objective.DisplayName}"), (CurveMetric.ValLoss, "Validation loss"), (CurveMetric.TrainLoss, "Train loss")];

    private sealed record CurvePoint(int Epoch, double Value);

    private sealed record Series(int Number, string Color, IReadOnlyList<CurvePoint> Points);

    [Parameter, EditorRequired] public IReadOnlyList<TrialView> Trials { get; set; } = [];

    /// <summary>Start of the PNG download's file name, e.g. the search it shows.</summary>
    [Parameter] public string PngName { get; set; } = "learning-curves";

    /// <summary>The epoch budget per trial, so the x axis does not rescale as a trial progresses.</summary>
    [Parameter] public int MaxEpochs { get; set; }

    /// <summary>The search's metric, drawn as the first curve.</summary>
    [Parameter] public SearchMetric Objective { get; set; } = SearchMetric.Accuracy;

    private bool IsShare => Metric == CurveMetric.ValAccuracy && Objective.IsFraction;

    private CurveMetric Metric { get; set; } = CurveMetric.ValAccuracy;
    private List<Series> SeriesList { get; set; } = [];
    private List<double> YTicks { get; set; } = [];
    private double _yMin, _yMax;

    // Beyond this many points the markers only hide the lines and slow every redraw; the lines keep a tooltip.
    private const int MaxDrawnPoints = 1_000;

    private bool DrawPoints { get; set; }

    private string CurrentLabel => Metrics.First(m => m.Key == Metric).Label;
    // Worked out once per render in Build: X() runs for every point, and 300 trials of 50 epochs have 15,000.
    private int XMax { get; set; } = 1;

    // Rebuilt on every render: the trials list is mutated in place by live events, so parameters alone do not signal change.
    protected override void OnParametersSet() => Build();

    protected override bool ShouldRender()
    {
        Build();
        return true;
    }

    private void Build()
    {
        SeriesList = Trials
            .Select(t => new Series(t.Number, ColorOf(t.Number),
                t.Epochs.Select(e => new CurvePoint(e.Epoch, Value(e))).Where(p => double.IsFinite(p.Value)).ToList()))
            .Where(s => s.Points.Count > 0)
            .ToList();
        XMax = Math.Max(Math.Max(MaxEpochs, 1), SeriesList.SelectMany(s => s.Points).Select(p => p.Epoch).DefaultIfEmpty(1).Max());
        DrawPoints = SeriesList.Sum(s => s.Points.Count) <= MaxDrawnPoints;

        if (IsShare)
        {
            (_yMin, _yMax) = (0, 1);
            YTicks = [0, 0.25, 0.5, 0.75, 1];
            return;
        }
        var max = SeriesList.SelectMany(s => s.Points).Select(p => p.Value).DefaultIfEmpty(1).Max();
        _yMin = 0;
        _yMax = NiceCeiling(Math.Max(max, 1e-3));
        YTicks = Enumerable.Range(0, 5).Select(i => _yMax * i / 4).ToList();
    }

    private double Value(EpochPoint e) => Metric switch
    {
        CurveMetric.ValAccuracy => e.ValAccuracy,
        CurveMetric.ValLoss => e.ValLoss,
        _ => e.TrainLoss,
    };

    private static double NiceCeiling(double value)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1, 2, 2.5, 5, 10 })
            if (step * magnitude >= value) return step * magnitude;
        return 10 * magnitude;
    }

    private double X(int epoch) => XMax <= 1 ? Left + (Width - Left - Right) / 2.0 : Left + (epoch - 1) * (Width - Left - Right) / (double)(XMax - 1);

    private double Y(double value) => Height - Bottom - (Math.Clamp(value, _yMin, _yMax) - _yMin) / (_yMax - _yMin) * (Height - Top - Bottom);

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private string FormatTick(double value) => IsShare
        ? value.ToString("0%", CultureInfo.InvariantCulture)
        : value.ToString(value < 1 ? "0.###" : "0.##", CultureInfo.InvariantCulture);
}
