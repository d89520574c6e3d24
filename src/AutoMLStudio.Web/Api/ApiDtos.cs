using System.Text.Json;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Web.Api;

public sealed record ClassCountDto(string Name, int Count);

public sealed record DatasetQualityDto(int SkippedFiles, IReadOnlyList<ImportIssue> SkippedDetails, double? ImbalanceRatio, IReadOnlyList<string> Warnings);

/// <summary>A table's column: type as inferred and as used, missing cells, and role (label, text, feature, ignored).</summary>
public sealed record ColumnDto(string Name, string InferredType, string Type, int Missing, string Role);

public sealed record DatasetDto(
    Guid Id, string Name, string Kind, string Status, string? Error, double ImportProgress, int ItemCount, int LabeledCount,
    IReadOnlyList<ClassCountDto> Classes, DatasetQualityDto Quality, DateTimeOffset CreatedAt,
    string Source, string? Task, string? LabelColumn, string? TextColumn, IReadOnlyList<ColumnDto> Columns);

public sealed record FromFolderRequest(string? Name, string? Path);

public sealed record SchemaRequest(string? LabelColumn, string? Task, Dictionary<string, string>? ColumnTypes);

public sealed record ItemDto(Guid Id, string? Label, string OriginalName, int Width, int Height, string ThumbnailUrl);

public sealed record ItemPageDto(int Total, IReadOnlyList<ItemDto> Items);

public sealed record LabelRequest(string? Label);

public sealed record BudgetDto(int MaxTrials, double MaxMinutes, int MaxEpochsPerTrial);

public sealed record BestTrialDto(Guid TrialId, int Number, double? ValMetric, double? TestAccuracy, long Params, long? Flops,
    IReadOnlyList<string> Classes, int[][]? ConfusionMatrix);

public sealed record SearchDto(
    Guid Id, Guid DatasetId, string Status, string Metric, string Algorithm, int Seed, BudgetDto Budget, int TrialsTotal,
    int TrialsCompleted, Guid? BestTrialId, BestTrialDto? Best, string? Error, string Queue,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt);

public sealed record EpochDto(int Epoch, double TrainLoss, double ValLoss, double ValMetric, double Seconds);

public sealed record TrialMetricsDto(double? ValAccuracy, double? ValLoss);

public sealed record TrialDto(
    Guid Id, int Number, string Status, TrialConfig Config, TrialMetricsDto Metrics, long Params, long? Flops, double? LatencyMs,
    string? Device, string? Error, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt, IReadOnlyList<EpochDto> Epochs);

public sealed record RegisterModelBody(Guid TrialId, string? Name);

public sealed record RegisteredDto(Guid Id, string Name, int Version, Guid VersionId);

public sealed record ModelVersionDto(int Version, Guid VersionId, Guid TrialId, Guid SearchId, Guid DatasetId, string WeightsSha256,
    DateTimeOffset CreatedAt, JsonElement Card);

public sealed record ModelDto(Guid Id, string Name, int LatestVersion, DateTimeOffset CreatedAt, IReadOnlyList<ModelVersionDto> Versions);

public sealed record DeviceDto(string Id, string Name, long MemoryBytes, int Slots, int Busy, string Queue);

public static class ApiMapping
{
    public static string Lower<T>(this T value) where T : Enum => value.ToString().ToLowerInvariant();

    public static DatasetDto ToDto(this Dataset d, IReadOnlyList<ClassCountDto> classes)
    {
        var issues = JsonSerializer.Deserialize<List<ImportIssue>>(d.ImportIssuesJson) ?? [];
        var warnings = new List<string>();
        double? imbalance = null;
        if (classes.Count >= 2)
        {
            imbalance = classes.Max(c => c.Count) / (double)Math.Max(1, classes.Min(c => c.Count));
            if (imbalance > 5)
                warnings.Add($"The largest class has {imbalance:0.#}× the images of the smallest. Add images to the small classes, or expect the model to favour the large ones.");
        }
        if (d.Status == DatasetStatus.Ready && classes.Count < 2 && d.Task != DatasetTasks.Regression)
            warnings.Add("Training needs at least two classes. Add another class folder or label more images.");
        foreach (var small in classes.Where(c => c.Count < 3))
            warnings.Add($"Class '{small.Name}' has {small.Count} image(s); each class needs at least 3 to be split for training, validation and testing.");
        if (issues.Count > 0)
            warnings.Add($"{issues.Count} file(s) were skipped during import; see the list for why.");
        var columns = ColumnSpec.Parse(d.ColumnsJson).Select(c => new ColumnDto(c.Name, c.InferredType, c.Type, c.Missing,
            c.Name == d.LabelColumn ? "label" : c.Name == d.TextColumn ? "text" : c.Type == ColumnTypes.Identifier ? "ignored" : "feature")).ToList();
        return new DatasetDto(d.Id, d.Name, d.Kind.Lower(), d.Status.Lower(), d.Error, d.ImportProgress, d.ItemCount, d.LabeledCount,
            classes, new DatasetQualityDto(issues.Count, issues.Take(100).ToList(), imbalance, warnings), d.CreatedAt,
            d.Source, d.Task, d.LabelColumn, d.TextColumn, columns);
    }

    public static ItemDto ToDto(this DatasetItem i) =>
        new(i.Id, i.Label, i.OriginalName, i.Width, i.Height, $"/api/v1/datasets/{i.DatasetId}/items/{i.Id}/thumbnail");

    public static SearchDto ToDto(this Search s, IReadOnlyList<Trial> trials)
    {
        var best = trials.FirstOrDefault(t => t.Id == s.BestTrialId);
        var test = s.TestEvaluation();
        return new SearchDto(s.Id, s.DatasetId, s.Status.Lower(), s.Metric, s.Algorithm, s.Seed,
            new BudgetDto(s.MaxTrials, s.MaxMinutes, s.MaxEpochsPerTrial), trials.Count,
            trials.Count(t => t.Status == TrialStatus.Completed), s.BestTrialId,
            best is null ? null : new BestTrialDto(best.Id, best.Number, best.ValMetric, test?.Accuracy, best.Params, best.Flops,
                s.Classes(), test?.ConfusionMatrix),
            s.Error, s.Queue, s.CreatedAt, s.StartedAt, s.CompletedAt);
    }

    public static TrialDto ToDto(this Trial t) =>
        new(t.Id, t.Number, t.Status.Lower(), t.Config(), new TrialMetricsDto(t.ValMetric, t.ValLoss), t.Params, t.Flops, t.LatencyMs,
            t.Device, t.Error, t.StartedAt, t.CompletedAt,
            t.Epochs.OrderBy(e => e.Epoch).Select(e => new EpochDto(e.Epoch, e.TrainLoss, e.ValLoss, e.ValMetric, e.Seconds)).ToList());

    public static ModelDto ToDto(this RegisteredModel m) =>
        new(m.Id, m.Name, m.Versions.Count == 0 ? 0 : m.Versions.Max(v => v.Version), m.CreatedAt,
            m.Versions.OrderByDescending(v => v.Version).Select(v => new ModelVersionDto(v.Version, v.Id, v.TrialId, v.SearchId, v.DatasetId,
                v.WeightsSha256, v.CreatedAt, JsonDocument.Parse(v.CardJson).RootElement.Clone())).ToList());
}
