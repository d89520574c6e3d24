namespace AutoMLStudio.Core.Datasets;

public sealed class DatasetItem
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid DatasetId { get; set; }
    /// <summary>Path of the stored file relative to the artifact store root; null for tabular and text rows.</summary>
    public string? StoragePath { get; set; }
    public required string OriginalName { get; set; }
    public string? Label { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    public int Channels { get; set; }
    public required string ContentHash { get; set; }
    /// <summary>64-bit difference hash of the image, to find near-duplicates; null for rows.</summary>
    public long? PerceptualHash { get; set; }
    /// <summary>A text dataset's text.</summary>
    public string? Text { get; set; }
    /// <summary>A tabular row: column name to the raw cell text, as JSON. The label column is kept in <see cref="Label"/>.</summary>
    public string? ValuesJson { get; set; }
    /// <summary>Row number in the source file (1-based, header excluded), or the entry's index in the archive.</summary>
    public int SourceIndex { get; set; }
    public string? LabeledBy { get; set; }
    public DateTimeOffset? LabeledAt { get; set; }
    /// <summary>Goes up with every label change; a change made against an older revision is a conflict.</summary>
    public int Revision { get; set; }
}
