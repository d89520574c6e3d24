namespace AutoMLStudio.Core.Registry;

public sealed class RegisteredModel
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public List<ModelVersion> Versions { get; set; } = [];
}

public sealed class ModelVersion
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid ModelId { get; set; }
    public RegisteredModel? Model { get; set; }
    public int Version { get; set; }
    public Guid TrialId { get; set; }
    public Guid SearchId { get; set; }
    public Guid DatasetId { get; set; }
    /// <summary>Folder in the artifact store holding weights and model.json.</summary>
    public required string ArtifactFolder { get; set; }
    /// <summary>SHA-256 of the weights file, recorded at registration.</summary>
    public required string WeightsSha256 { get; set; }
    /// <summary>The model card: task, classes, architecture, preprocessing, metrics (JSON).</summary>
    public required string CardJson { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
