namespace AutoMLStudio.Core.Datasets;

public enum DatasetKind { Image, Tabular, Text }

public enum DatasetStatus { Importing, Ready, Failed }

public sealed class Dataset
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }
    public DatasetKind Kind { get; set; } = DatasetKind.Image;
    public DatasetStatus Status { get; set; } = DatasetStatus.Importing;
    /// <summary>Why the import failed, in words a non-expert can act on.</summary>
    public string? Error { get; set; }
    /// <summary>0 to 1 while importing.</summary>
    public double ImportProgress { get; set; }
    /// <summary>Files the import skipped and why, the first <see cref="ImportSink.MaxListedIssues"/> of them (column ImportIssuesJson).</summary>
    public List<ImportIssue> ImportIssues { get; set; } = [];
    /// <summary>How many files or rows the import skipped in all (0 on datasets imported before it was counted: see <see cref="SkippedTotal"/>).</summary>
    public int ImportSkippedCount { get; set; }
    public int ItemCount { get; set; }
    public int LabeledCount { get; set; }
    public string? UploadFileName { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public string? JobId { get; set; }
    /// <summary>How the data came in: class-folders, loose-images, labels-csv, server-folder, csv, text-csv, text-folders.</summary>
    public string Source { get; set; } = "class-folders";
    /// <summary>Tabular: classification or regression (proposed from the label column, changeable); null for images and texts.</summary>
    public DatasetTask? Task { get; set; }
    public string? LabelColumn { get; set; }
    public string? TextColumn { get; set; }
    /// <summary>Tabular columns with inferred and chosen types and missing counts; null for images and texts (column ColumnsJson).</summary>
    public List<ColumnSpec>? Columns { get; set; }
    /// <summary>The latest data quality report, recomputed after import and after labeling (column QualityJson).</summary>
    public QualityReport? Quality { get; set; }
    public DateTimeOffset? QualityComputedAt { get; set; }
    /// <summary>The label set in the order labelers see it (keys 1-9 pick the first nine) (column LabelsJson).</summary>
    public List<string> Labels { get; set; } = [];
    /// <summary>Set while a recomputation is queued (UTC; a DateTime so SQLite can compare it), so edits queue one run, not one each.</summary>
    public DateTime? QualityQueuedAt { get; set; }
    /// <summary>Set by the user; the import job stops at the next file and removes what it made.</summary>
    public bool CancelRequested { get; set; }
    public List<DatasetItem> Items { get; set; } = [];

    /// <summary>Skipped files or rows in all, given the ones listed.</summary>
    public int SkippedTotal(IReadOnlyCollection<ImportIssue> listed) => Math.Max(ImportSkippedCount, listed.Count);
}

public sealed record ImportIssue(string File, string Reason);
