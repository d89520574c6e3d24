using AutoMLStudio.Engine.Native;
using TorchSharp;

namespace AutoMLStudio.Engine.Backbones;

/// <summary>Builds <see cref="BackboneClassifier"/>s.</summary>
public static class BackboneFactory
{
    /// <summary>
    /// The architecture with a new head for <see cref="BackboneSpec.ClassCount"/> classes and torchvision's
    /// initialisation (He for convolutions). Load pretrained weights with <see cref="BackboneWeights.Load"/>. Initial
    /// weights come from TorchSharp's default generator: seed it first for repeatable builds.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown architecture, or sizes or a class count out of range.</exception>
    public static BackboneClassifier Build(BackboneSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        TorchNative.EnsureLoaded();

        // Layer initialisers leave temporaries; a scope frees them now. Parameters and buffers are detached to outlive it.
        using var scope = torch.NewDisposeScope();
        BackboneClassifier model = spec.Architecture == BackboneArchitectures.ResNet18 ? new ResNet18(spec) : new MobileNetV2(spec);
        scope.Detach(model.parameters());
        scope.Detach(model.buffers());
        return model;
    }
}
