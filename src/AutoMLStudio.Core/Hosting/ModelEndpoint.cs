namespace AutoMLStudio.Core.Hosting;

/// <summary>A registered model version served for predictions at <c>/api/v1/endpoints/{Id}/predict</c>.</summary>
public sealed class ModelEndpoint
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }
    public Guid ModelId { get; set; }
    /// <summary>The version served now; a swap changes it without a failed request.</summary>
    public Guid ModelVersionId { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? SwappedAt { get; set; }
}
