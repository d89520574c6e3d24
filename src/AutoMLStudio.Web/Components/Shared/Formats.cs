using System.Globalization;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Core.Searches.Pipelines;

namespace AutoMLStudio.Web.Components.Shared;

public static class Formats
{
    public static string Percent(double value) => value.ToString("0.0%", CultureInfo.InvariantCulture);

    public static string Percent(double? value) => value is { } v && double.IsFinite(v) ? Percent(v) : "–";

    /// <summary>A metric's value as people read it: shares (accuracy, F1) as percentages, costs as plain numbers.</summary>
    public static string Metric(double? value, SearchMetric metric) =>
        value is not { } v || !double.IsFinite(v) ? "–"
        : metric.IsFraction ? Percent(v)
        : v.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A loss with three decimals; "–" before the first epoch or after a diverged one.</summary>
    public static string Loss(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "–";

    /// <summary>"1", "1 and 3", "1, 3 and 4".</summary>
    public static string List(IReadOnlyList<string> items) =>
        items.Count <= 1 ? string.Concat(items) : $"{string.Join(", ", items.Take(items.Count - 1))} and {items[^1]}";

    /// <summary>What a search's data items are called, as a column header: "Images", "Texts" or "Rows".</summary>
    public static string Items(SearchTask task) => TaskPipelines.WordsOf(task).Heading;

    /// <summary>"higher is better" or "lower is better", for a metric shown without context.</summary>
    public static string Direction(SearchMetric metric) => metric.LowerIsBetter ? "lower is better" : "higher is better";

    /// <summary>1234567 as "1.23M": parameter and FLOP counts span many orders of magnitude.</summary>
    public static string Count(long value) => value switch
    {
        >= 1_000_000_000 => (value / 1e9).ToString("0.##", CultureInfo.InvariantCulture) + "G",
        >= 1_000_000 => (value / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + "M",
        >= 1_000 => (value / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "K",
        _ => value.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A latency as "0.42 ms" or "37 ms"; "–" when not measured.</summary>
    public static string Milliseconds(double? value) =>
        value is { } ms && double.IsFinite(ms) ? ms.ToString(ms < 10 ? "0.##" : "0", CultureInfo.InvariantCulture) + " ms" : "–";

    /// <summary>Seconds as "4.2 s", "42 s", "3 min 05 s" or "1 h 02 min"; "–" when unknown.</summary>
    public static string Duration(double? seconds)
    {
        if (seconds is not { } s || !double.IsFinite(s)) return "–";
        return s switch
        {
            < 10 => s.ToString("0.0", CultureInfo.InvariantCulture) + " s",
            < 60 => $"{(int)s} s",
            < 3600 => $"{(int)(s / 60)} min {(int)(s % 60):00} s",
            _ => $"{(int)(s / 3600)} h {(int)(s % 3600 / 60):00} min",
        };
    }

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MB",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("0", CultureInfo.InvariantCulture) + " KB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };

    public static string When(DateTimeOffset? time) => time?.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "–";
}
