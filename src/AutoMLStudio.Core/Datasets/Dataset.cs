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
    /// <summary>Files the import skipped and why (JSON list of <see cref="ImportIssue"/>).</summary>
    public string ImportIssuesJson { get; set; } = "[]";
    public int ItemCount { get; set; }
    public int LabeledCount { get; set; }
    public string? UploadFileName { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public string? JobId { get; set; }
    public List<DatasetItem> Items { get; set; } = [];
}

public sealed record ImportIssue(string File, string Reason);
