using TorchSharp.Modules;

namespace AutoMLStudio.Engine.Backbones;

/// <summary>Which parts of a pretrained backbone a fine-tuning run trains; the new head always trains.</summary>
public enum FreezeMode
{
    /// <summary>Only the head: the pretrained network is a fixed feature extractor.</summary>
    Frozen,

    /// <summary>The last stage (ResNet-18: <c>layer4</c>; MobileNetV2: <c>features.14</c> to <c>features.18</c>) and the head.</summary>
    Partial,

    /// <summary>Everything.</summary>
    Full,
}

/// <summary>
/// The parameters a <see cref="FreezeMode"/> leaves trainable, split so that a trainer can give the pretrained part a
/// smaller learning rate than the new head.
/// </summary>
/// <param name="Head">The new linear head's weight and bias.</param>
/// <param name="Backbone">The pretrained parameters that train (none when frozen).</param>
public sealed record TrainableParameters(IReadOnlyList<Parameter> Head, IReadOnlyList<Parameter> Backbone)
{
    /// <summary>Head and backbone together.</summary>
    public IEnumerable<Parameter> All => Head.Concat(Backbone);

    /// <summary>Trainable scalars (the sum of the parameters' element counts).</summary>
    public long Count => All.Sum(p => p.numel());
}
