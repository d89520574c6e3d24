namespace AutoMLStudio.Engine.Backbones;

/// <summary>
/// The pretrained architectures the studio defines, named as torchvision's constructors
/// (<c>torchvision.models.resnet18</c>, <c>torchvision.models.mobilenet_v2</c>) so an admin knows which weights fit.
/// </summary>
public static class BackboneArchitectures
{
    /// <summary>ResNet-18: 11,689,512 parameters with ImageNet's 1000-class head.</summary>
    public const string ResNet18 = "resnet18";

    /// <summary>MobileNetV2 (width 1.0): 3,504,872 parameters with ImageNet's 1000-class head.</summary>
    public const string MobileNetV2 = "mobilenet_v2";

    /// <summary>Every architecture name, in a stable order.</summary>
    public static IReadOnlyList<string> All { get; } = [ResNet18, MobileNetV2];

    /// <summary>The class count of torchvision's ImageNet weights, whose head every import replaces.</summary>
    public const int ImageNetClasses = 1000;

    /// <summary>The name people know the architecture by: "ResNet-18", "MobileNetV2".</summary>
    public static string DisplayName(string architecture) => architecture switch
    {
        ResNet18 => "ResNet-18",
        MobileNetV2 => "MobileNetV2",
        _ => architecture,
    };

    internal static void Validate(string architecture)
    {
        if (!All.Contains(architecture))
            throw new ArgumentException($"Unknown backbone '{architecture}'. Valid backbones: {string.Join(", ", All)}.");
    }
}
