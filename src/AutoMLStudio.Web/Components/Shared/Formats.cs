using System.Globalization;
using AutoMLStudio.Engine.Metrics;

namespace AutoMLStudio.Web.Components.Shared;

public static class Formats
{
    public static string Percent(double value) => value.ToString("0.0%", CultureInfo.InvariantCulture);

    public static string Percent(double? value) => value is { } v && double.IsFinite(v) ? Percent(v) : "–";

    /// <summary>A metric's value as people read it: shares (accuracy, F1) as percentages, costs as plain numbers.</summary>
    public static string Metric(double? value, MetricDefinition metric) =>
        value is not { } v || !double.IsFinite(v) ? "–"
        : metric.IsFraction ? Percent(v)
        : v.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>"higher is better" or "lower is better", for a metric shown without context.</summary>
    public static string Direction(MetricDefinition metric) => metric.LowerIsBetter ? "lower is better" : "higher is better";

    /// <summary>1234567 as "1.23M": parameter and FLOP counts span many orders of magnitude.</summary>
    public static string Count(long value) => value switch
    {
        >= 1_000_000_000 => (value / 1e9).ToString("0.##", CultureInfo.InvariantCulture) + "G",
        >= 1_000_000 => (value / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + "M",
        >= 1_000 => (value / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "K",
        _ => value.ToString(CultureInfo.InvariantCulture),
    };

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MB",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("0", CultureInfo.InvariantCulture) + " KB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };

    public static string When(DateTimeOffset? time) => time?.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "–";
}
