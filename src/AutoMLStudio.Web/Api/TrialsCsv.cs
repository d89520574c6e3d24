using System.Globalization;
using System.Text;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Searches;

namespace AutoMLStudio.Web.Api;

/// <summary>A search's trials as CSV for spreadsheets: one row per trial, written with <see cref="CsvCells"/>.</summary>
public static class TrialsCsv
{
    public static string Write(SearchMetric metric, IReadOnlyList<TrialSummary> trials)
    {
        var csv = new StringBuilder();
        Row(csv, ["trial", "status", "carried_over_from_trial", "architecture", "training", $"val_{metric.Name}", "val_loss", "params", "flops",
            "latency_ms", "epochs", "duration_seconds", "device", "started_at", "completed_at", "error_or_reason"]);
        foreach (var trial in trials.OrderBy(t => t.Number))
        {
            Row(csv,
            [
                Number(trial.Number), Text(trial.Status), trial.InheritedFromTrialNumber is { } from ? Number(from) : "",
                Text(trial.Architecture), Text(trial.Training), Number(trial.ValMetric), Number(trial.ValLoss), Number(trial.Params),
                Number(trial.Flops), Number(trial.LatencyMs), Number(trial.Epochs.Count), Number(trial.Epochs.Sum(e => e.Seconds)),
                Text(trial.Device), Time(trial.StartedAt), Time(trial.CompletedAt), Text(trial.Error),
            ]);
        }
        return csv.ToString();
    }

    public static string Text(string? value) => CsvCells.Text(value);

    private static void Row(StringBuilder csv, IEnumerable<string> cells) => CsvCells.Row(csv, cells);

    private static string Number(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Time(DateTimeOffset? value) => value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "";
}
