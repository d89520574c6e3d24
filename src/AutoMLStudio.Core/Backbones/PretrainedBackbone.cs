namespace AutoMLStudio.Core.Backbones;

/// <summary>
/// Pretrained weights an admin imported for one of the studio's standard architectures (ResNet-18, MobileNetV2), in
/// TorchSharp's format and checked name by name and shape by shape on import. Weights are never fetched at run time:
/// only files imported here are used. One per architecture; a new import replaces the old.
/// </summary>
public sealed class PretrainedBackbone
{
    /// <summary>resnet18 or mobilenet_v2 (<see cref="Engine.Backbones.BackboneArchitectures"/>).</summary>
    public string Architecture { get; set; } = "";
    /// <summary>Under the artifact folder: backbones/{architecture}.dat.</summary>
    public string Path { get; set; } = "";
    public string FileName { get; set; } = "";
    public string Sha256 { get; set; } = "";
    public long Parameters { get; set; }
    /// <summary>The class count of the file's own head (1000 for ImageNet), which searches replace; null when the file has none.</summary>
    public int? HeadClasses { get; set; }
    public string? ImportedBy { get; set; }
    public DateTimeOffset ImportedAt { get; set; }
}
