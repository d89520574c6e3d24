using AutoMLStudio.Core.Searches;
using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace AutoMLStudio.Web.Components.Shared;

/// <summary>
/// One vertical axis per parameter of the search space and a last one for the metric; one line per completed trial
/// through its settings, darker the better its metric, the best trial highlighted.
/// </summary>
public partial class ParallelCoordinates
{
    // Fixed spacing rather than fitting the panel: twenty-odd axes stay readable and the panel scrolls sideways.
    private const int Spacing = 92, Left = 44, Right = 64, Top = 44, AxisHeight = 240, Bottom = 14;
    private const int Height = Top + AxisHeight + Bottom;
    // Lines through the same choice are spread over this share of the gap between choices, so bundles show their size.
    private const double ChoiceSpread = 0.3, MaxChoiceSpreadPixels = 16;

    private sealed record AxisTick(double Y, string Text);

    private sealed record Axis(string Name, double X, IReadOnlyList<string> Title, IReadOnlyList<AxisTick> Ticks, bool Log);

    private sealed record TrialLine(Guid Id, int Number, double Metric, string Points, string Style, double MetricY);


    /// <summary>The space the search explored; null when it is not known yet.</summary>
    [Parameter, EditorRequired] public SearchSpaceView? Space { get; set; }

    [Parameter, EditorRequired] public IReadOnlyList<TrialView> Trials { get; set; } = [];

    /// <summary>The search's metric: the last axis, with the better end at the top.</summary>
    [Parameter] public SearchMetric Metric { get; set; } = SearchMetric.Accuracy;

    /// <summary>The trial the search chose as its best, highlighted; without one, the trial with the best metric.</summary>
    [Parameter] public Guid? BestTrialId { get; set; }

    /// <summary>The PNG download's file name.</summary>
    [Parameter] public string PngName { get; set; } = "parallel-coordinates";

    private List<Axis> Axes { get; set; } = [];
    private List<TrialLine> Lines { get; set; } = [];
    private TrialLine? Best { get; set; }
    private int LeftOut { get; set; }
    private int Width => Left + Math.Max(Axes.Count - 1, 1) * Spacing + Right;

    // Rebuilt on every render, as LearningCurves is: live events change the trials in place.
    protected override void OnParametersSet() => Build();

    protected override bool ShouldRender()
    {
        Build();
        return true;
    }

    private void Build()
    {
        Axes = [];
        Lines = [];
        Best = null;
        var completed = Trials.Where(t => t.Status == "completed" && t.ValAccuracy is { } v && double.IsFinite(v)).ToList();
        if (Space is not { } space) return;
        var drawn = completed.Where(t => t.Parameters is { } p && space.Contains(p)).OrderBy(t => t.Number).ToList();
        LeftOut = completed.Count - drawn.Count;

        Axes = space.Axes.Select((a, i) => new Axis(a.Name, Left + i * Spacing, ParameterLabels.Lines(ParameterLabels.Words(a.Name)),
            [.. a.Marks.Select(m => new AxisTick(Y(m.Position), m.Text))], a.Log)).ToList();
        var metrics = drawn.Select(t => t.ValAccuracy!.Value).DefaultIfEmpty(0).ToList();
        var (worst, best) = (metrics.Min(m => Metric.Maximised(m)), metrics.Max(m => Metric.Maximised(m)));
        // Better at the top whichever way the metric runs; one tick when every trial scored the same.
        var metricTicks = drawn.Count == 0 ? [] : best > worst ? new[] { 0, 0.5, 1 } : new[] { 1.0 };
        Axes.Add(new Axis("metric", Left + space.Axes.Count * Spacing, ParameterLabels.Lines($"validation {Metric.DisplayName}"),
            [.. metricTicks.Select(q => new AxisTick(Y(q), Formats.Metric(Metric.Maximised(worst + q * (best - worst)), Metric)))], false));

        Lines = drawn.Select(t =>
        {
            var quality = best > worst ? (Metric.Maximised(t.ValAccuracy!.Value) - worst) / (best - worst) : 1;
            var ys = space.Positions(t.Parameters!).Select((position, i) => Y(position) + ChoiceOffset(space.Axes[i], t.Number))
                .Append(Y(quality)).ToList();
            // A learner's line skips the other learners' axes, where its values are only filled in.
            var points = string.Join(' ', ys.Select((y, i) => (y, i)).Where(p => double.IsFinite(p.y)).Select(p => $"{F(Axes[p.i].X)},{F(p.y)}"));
            return new TrialLine(t.Id, t.Number, t.ValAccuracy!.Value, points, LineStyle(quality, drawn.Count), ys[^1]);
        }).ToList();
        Best = Lines.FirstOrDefault(l => l.Id == BestTrialId) ?? Lines.OrderByDescending(l => Metric.Maximised(l.Metric)).ThenBy(l => l.Number).FirstOrDefault();
        // Worse trials first, so the better ones are drawn on top.
        Lines = [.. Lines.Where(l => l != Best).OrderBy(l => Metric.Maximised(l.Metric))];
    }

    private static double ChoiceOffset(SettingAxis axis, int trial)
    {
        if (axis.Choices <= 1) return 0;
        // A fixed, well-spread fraction per trial number (golden ratio), so a line keeps its place as trials arrive.
        var fraction = trial * 0.6180339887 % 1 - 0.5;
        return fraction * Math.Min(AxisHeight / (axis.Choices - 1.0) * ChoiceSpread, MaxChoiceSpreadPixels);
    }

    // Light grey-blue for the worst trial to deep blue for the best. Past twenty lines each is drawn fainter (to a quarter
    // at 320), so hundreds of overlapping lines read as density instead of one solid blue.
    private static string LineStyle(double quality, int count)
    {
        var (r, g, b) = (Mix(148, 21, quality), Mix(166, 67, quality), Mix(207, 154, quality));
        var strongest = Math.Clamp(Math.Sqrt(20.0 / count), 0.25, 1);
        var opacity = strongest * (0.55 + 0.45 * quality);
        return FormattableString.Invariant($"--pc-color:#{r:x2}{g:x2}{b:x2};--pc-opacity:{opacity:0.##}");
    }

    private static int Mix(int from, int to, double t) => (int)Math.Round(from + (to - from) * t);

    private static double Y(double position) => Top + AxisHeight * (1 - position);

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private string Tooltip(TrialLine line) => $"Trial {line.Number}: {Formats.Metric(line.Metric, Metric)}{(line == Best ? " (best)" : "")}";
}
