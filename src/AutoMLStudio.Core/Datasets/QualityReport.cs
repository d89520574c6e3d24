namespace AutoMLStudio.Core.Datasets;

/// <summary>
/// A dataset's data quality report, stored as JSON in <see cref="Dataset.Quality"/>. Every warning says what is
/// wrong (<see cref="QualityWarning.Message"/>) and what to do about it (<see cref="QualityWarning.Action"/>).
/// </summary>
public sealed record QualityReport(
    DateTimeOffset ComputedAt,
    int ItemCount,
    int LabeledCount,
    IReadOnlyList<ClassQuality> Classes,
    double? ImbalanceRatio,
    int SkippedFiles,
    IReadOnlyList<ImportIssue> SkippedDetails,
    DuplicateSection ExactDuplicates,
    DuplicateSection NearDuplicates,
    ImageQuality? Images,
    TabularQuality? Tabular,
    IReadOnlyList<QualityWarning> Warnings)
{
    /// <summary>Groups listed per duplicate section; the counts cover all of them.</summary>
    public const int MaxListedGroups = 100;

    public const int MinItemsPerClass = 3;
    public const double ImbalanceWarnAbove = 5;
}

public static class QualitySeverity
{
    public const string Info = "info", Warning = "warning", Error = "error";
}

public sealed record QualityWarning(string Code, string Severity, string Message, string Action);

public sealed record ClassQuality(string Name, int Count, bool TooSmall);

/// <summary>Groups of copies; <see cref="ConflictingGroups"/> counts the groups whose copies carry different labels.</summary>
public sealed record DuplicateSection(int Groups, int Items, int ConflictingGroups, IReadOnlyList<DuplicateGroup> Listed);

public sealed record DuplicateGroup(bool ConflictingLabels, IReadOnlyList<DuplicateMember> Items);

public sealed record DuplicateMember(Guid Id, string Name, string? Label);

public sealed record HistogramBin(string Bin, int Count);

/// <summary>Histograms of the longest side, width/height ratio and colour channels.</summary>
public sealed record ImageQuality(IReadOnlyList<HistogramBin> Sizes, IReadOnlyList<HistogramBin> Aspects, IReadOnlyList<HistogramBin> Channels);

public sealed record ColumnQuality(string Name, int Missing, int Distinct, bool Constant);

/// <summary>A column whose value alone gives the label for <see cref="Accuracy"/> of the labeled rows.</summary>
public sealed record LeakageFinding(string Column, double Accuracy);

public sealed record TabularQuality(IReadOnlyList<ColumnQuality> Columns, IReadOnlyList<LeakageFinding> Leakage);
