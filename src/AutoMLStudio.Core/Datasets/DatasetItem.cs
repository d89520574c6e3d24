namespace AutoMLStudio.Core.Datasets;

public sealed class DatasetItem
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid DatasetId { get; set; }
    /// <summary>Path of the stored file relative to the artifact store root.</summary>
    public required string StoragePath { get; set; }
    public required string OriginalName { get; set; }
    public string? Label { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    public int Channels { get; set; }
    public required string ContentHash { get; set; }
    public string? LabeledBy { get; set; }
    public DateTimeOffset? LabeledAt { get; set; }
}
