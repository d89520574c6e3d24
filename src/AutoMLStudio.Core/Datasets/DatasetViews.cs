using AutoMLStudio.Core.Searches;

namespace AutoMLStudio.Core.Datasets;

/// <summary>Labeled items of one class.</summary>
public sealed record ClassCount(string Name, int Count);

/// <summary>
/// The quality report as pages and the API show it: the stored report, or while none is computed yet the checks that
/// need only class counts and skipped files (<see cref="ComputedAt"/> is then null).
/// </summary>
public sealed record DatasetQualityView(
    int SkippedFiles, IReadOnlyList<ImportIssue> SkippedDetails, double? ImbalanceRatio, IReadOnlyList<QualityWarning> Warnings,
    DateTimeOffset? ComputedAt, IReadOnlyList<ClassQuality> Classes, DuplicateSection ExactDuplicates, DuplicateSection NearDuplicates,
    ImageQuality? Images, TabularQuality? Tabular);

/// <summary>A dataset with its class counts (none for a regression target) and quality report, read for a page or a route.</summary>
/// <param name="TrainingTask">The task a search of this dataset trains when none is asked for.</param>
/// <param name="SuspectItemIds">The copies the quality report lists, for a person to look at.</param>
/// <param name="Labels">Labeled items per label value, classes or (for a regression target) numbers, in ordinal order.</param>
public sealed record DatasetView(
    Guid Id, string Name, DatasetKind Kind, DatasetStatus Status, string? Error, double ImportProgress, int ItemCount, int LabeledCount,
    IReadOnlyList<ClassCount> Classes, DatasetQualityView Quality, DateTimeOffset CreatedAt, string Source, DatasetTask? Task,
    string? LabelColumn, string? TextColumn, IReadOnlyList<ColumnSpec> Columns, string? UploadFileName, bool CancelRequested,
    DateTimeOffset? QualityComputedAt, DateTime? QualityQueuedAt, SearchTask TrainingTask, IReadOnlyList<Guid> SuspectItemIds,
    IReadOnlyList<ClassCount> Labels);

/// <summary>A line of the datasets list; <see cref="LabelValues"/> counts the distinct labels given.</summary>
public sealed record DatasetSummary(Guid Id, string Name, DatasetStatus Status, double ImportProgress, int ItemCount, int LabelValues,
    DateTimeOffset CreatedAt);

/// <summary>
/// One item; the suggestion fields are set only while it has no label (a confirmed label makes a suggestion moot).
/// <see cref="HasFile"/>: an image (or a stored text file) to show.
/// </summary>
public sealed record ItemView(Guid Id, Guid DatasetId, string? Label, string OriginalName, int Width, int Height, bool HasFile, int Revision,
    string? LabeledBy, DateTimeOffset? LabeledAt, string? SuggestedLabel, double? SuggestedConfidence, int? SuggestionRank, string? SuggestionWhy)
{
    public static ItemView From(DatasetItem i) => new(i.Id, i.DatasetId, i.Label, i.OriginalName, i.Width, i.Height, i.StoragePath is not null,
        i.Revision, i.LabeledBy, i.LabeledAt, i.Label is null ? i.SuggestedLabel : null, i.Label is null ? i.SuggestedConfidence : null,
        i.Label is null ? i.SuggestionRank : null, i.Label is null ? i.SuggestionWhy : null);
}

/// <summary>
/// Which items to list: one label, only unlabeled ones, only those the quality report flags (with either of the first
/// two too), in file-name order or in the last suggestion run's labeling order (unranked items last).
/// </summary>
public sealed record ItemFilter(string? Label = null, bool Unlabeled = false, bool Suspect = false, bool SuggestedOrder = false);

/// <summary>One finished search of a dataset: how many labeled items it trained and tested on, and its test accuracy.</summary>
public sealed record LabelRound(Guid SearchId, int Labels, double Accuracy, DateTimeOffset CompletedAt);

/// <summary>A frozen version with its per-class split counts.</summary>
public sealed record DatasetVersionView(
    Guid Id, Guid DatasetId, int Number, int Seed, double ValidationFraction, double TestFraction, int ItemCount,
    IReadOnlyList<SplitCount> Splits, string? Note, DateTimeOffset CreatedAt)
{
    public static DatasetVersionView From(DatasetVersion v) =>
        new(v.Id, v.DatasetId, v.Number, v.Seed, v.ValidationFraction, v.TestFraction, v.ItemCount, CreateDatasetVersion.SplitCounts(v), v.Note, v.CreatedAt);
}
