using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace AutoMLStudio.Web.Components.Pages.Endpoints;

/// <summary>One line of a <see cref="MinuteChart"/>: a value per minute, null where the minute has none.</summary>
public sealed record ChartSeries(string Key, string Label, string Color, IReadOnlyList<double?> Values);

public partial class MinuteChart
{
    // Drawn about this wide when two charts share a row, so the axis labels stay at their CSS size.
    private const int Width = 480, Height = 220, Left = 44, Right = 12, Top = 12, Bottom = 28;
    // Past a quarter of an hour the markers crowd into a band along the axis; the lines alone read better.
    private const int MaxMarkedMinutes = 15;

    private readonly record struct ChartPoint(int Index, double Value);

    private IReadOnlyList<double> _ticks = [0, 1];

    [Parameter, EditorRequired] public string Title { get; set; } = "";
    /// <summary>The minutes on the x axis, oldest first; every series has one value per minute.</summary>
    [Parameter, EditorRequired] public IReadOnlyList<DateTimeOffset> Minutes { get; set; } = [];
    [Parameter, EditorRequired] public IReadOnlyList<ChartSeries> Series { get; set; } = [];
    /// <summary>Counts: ticks are whole numbers.</summary>
    [Parameter] public bool Whole { get; set; }
    /// <summary>How a value reads on the axis and in tooltips.</summary>
    [Parameter] public Func<double, string>? ValueFormat { get; set; }
    [Parameter] public string PngName { get; set; } = "chart";
    [Parameter] public string? Class { get; set; }

    private double YMax => _ticks[^1];

    protected override void OnParametersSet()
    {
        var max = Series.SelectMany(s => s.Values).Where(v => v is { } x && double.IsFinite(x)).Select(v => v!.Value).DefaultIfEmpty(0).Max();
        _ticks = ChartAxis.Ticks(max, Whole);
    }

    private string Format(double value) => ValueFormat?.Invoke(value) ?? value.ToString("0.##", CultureInfo.InvariantCulture);

    private static IEnumerable<List<ChartPoint>> Segments(ChartSeries series)
    {
        var segment = new List<ChartPoint>();
        for (var i = 0; i < series.Values.Count; i++)
        {
            if (series.Values[i] is { } value && double.IsFinite(value))
            {
                segment.Add(new ChartPoint(i, value));
                continue;
            }
            if (segment.Count > 0) yield return segment;
            segment = [];
        }
        if (segment.Count > 0) yield return segment;
    }

    // About six labels whatever the window: every minute of 15, every 10 of an hour, every 4 hours of a day.
    private IEnumerable<int> XTickIndexes()
    {
        if (Minutes.Count == 0) yield break;
        var step = Math.Max(1, (int)Math.Ceiling(Minutes.Count / 6.0));
        for (var i = Minutes.Count - 1; i >= 0; i -= step) yield return i;
    }

    private double X(int index) => Minutes.Count <= 1 ? (Left + Width - Right) / 2.0 : Left + index * (Width - Left - Right) / (double)(Minutes.Count - 1);

    private double Y(double value) => Height - Bottom - Math.Clamp(value, 0, YMax) / YMax * (Height - Top - Bottom);

    private static string Clock(DateTimeOffset minute) => minute.ToLocalTime().ToString("HH:mm", CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
