namespace AutoMLStudio.Core.Hosting;

public enum BatchStatus { Queued, Running, Completed, Failed }

/// <summary>
/// A file of inputs (a zip of images, or a CSV of rows or texts) predicted in the background by an endpoint's model;
/// the results are a CSV to download. The row is the job's state: a restarted job starts the file again.
/// </summary>
public sealed class BatchPrediction
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid EndpointId { get; set; }
    public required string FileName { get; set; }
    /// <summary>The uploaded file in the artifact store.</summary>
    public required string InputPath { get; set; }
    public string? ResultPath { get; set; }
    public BatchStatus Status { get; set; } = BatchStatus.Queued;
    public int Done { get; set; }
    /// <summary>Inputs that could not be predicted (each has its reason in the results).</summary>
    public int Failed { get; set; }
    public int? Total { get; set; }
    public string? Error { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? CompletedAt { get; set; }
}
