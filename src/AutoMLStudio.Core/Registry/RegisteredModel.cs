namespace AutoMLStudio.Core.Registry;

public sealed class RegisteredModel
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public List<ModelVersion> Versions { get; set; } = [];
}

/// <summary>Where a version stands in its life: the team moves it from staging to production and retires it by archiving.</summary>
public enum ModelStage { None, Staging, Production, Archived }

public sealed class ModelVersion
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid ModelId { get; set; }
    public RegisteredModel? Model { get; set; }
    public int Version { get; set; }
    public Searches.SearchTask Task { get; set; } = Searches.SearchTask.ImageClassification;
    public ModelStage Stage { get; set; } = ModelStage.None;
    public Guid TrialId { get; set; }
    public Guid SearchId { get; set; }
    public Guid DatasetId { get; set; }
    /// <summary>Folder in the artifact store holding the files of <see cref="ModelFiles"/>.</summary>
    public required string ArtifactFolder { get; set; }
    /// <summary>SHA-256 of the weights file, recorded at registration.</summary>
    public required string WeightsSha256 { get; set; }
    /// <summary>SHA-256 of model.onnx, recorded at registration and checked before hosting loads it.</summary>
    public string? OnnxSha256 { get; set; }
    /// <summary>SHA-256 of preprocessing.json (tabular and text models), checked like the ONNX file.</summary>
    public string? PreprocessingSha256 { get; set; }
    /// <summary>The model card: task, classes, architecture, preprocessing, metrics, intended use and notes (JSON).</summary>
    public required string CardJson { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
