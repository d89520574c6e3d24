namespace AutoMLStudio.Core.Datasets;

/// <summary>
/// A frozen copy of a dataset's labels with a stratified train/validation/test split. Searches train on a version,
/// so later label edits never change a search that ran.
/// </summary>
public sealed class DatasetVersion
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid DatasetId { get; set; }
    public int Number { get; set; }
    public int Seed { get; set; }
    public double ValidationFraction { get; set; } = 0.15;
    public double TestFraction { get; set; } = 0.15;
    public int ItemCount { get; set; }
    /// <summary>Per class: items in train, validation and test (column SplitCountsJson).</summary>
    public List<SplitCount> SplitCounts { get; set; } = [];
    public string? Note { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public List<DatasetVersionItem> Items { get; set; } = [];
}

public enum SplitPart : byte { Train = 0, Validation = 1, Test = 2 }

public sealed class DatasetVersionItem
{
    public long Id { get; set; }
    public Guid VersionId { get; set; }
    public Guid ItemId { get; set; }
    public required string Label { get; set; }
    public SplitPart Split { get; set; }
}
