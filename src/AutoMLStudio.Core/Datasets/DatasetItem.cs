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
    /// <summary>
    /// A model's label for an unlabeled item (<see cref="Suggestions.LabelSuggestionRun"/>). It is only a suggestion until a
    /// person confirms it, which copies it into <see cref="Label"/>; searches train on <see cref="Label"/> alone.
    /// </summary>
    public string? SuggestedLabel { get; set; }
    /// <summary>The model's probability for <see cref="SuggestedLabel"/>.</summary>
    public double? SuggestedConfidence { get; set; }
    /// <summary>Where the item stands in the labeling order of the last suggestion run: 0 is the one to label first.</summary>
    public int? SuggestionRank { get; set; }
    /// <summary>Why the model is unsure, for a person ("top two classes shirt 41% / t-shirt 38%").</summary>
    public string? SuggestionWhy { get; set; }
}
