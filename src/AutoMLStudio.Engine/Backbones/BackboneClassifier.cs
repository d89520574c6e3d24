using AutoMLStudio.Engine.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Backbones;

/// <summary>
/// A pretrained architecture with a new linear head, built by <see cref="BackboneFactory.Build"/>. Its state dict has
/// torchvision's names and shapes exactly, the head's class count aside, so torchvision's weights load through
/// <see cref="BackboneWeights.Load"/> and what this module saves stays in torchvision's layout.
/// <para>
/// <c>forward(pixels)</c> takes <c>[N, C, H, W]</c> in [0, 1] and returns logits <c>[N, classes]</c>. In front of the
/// network, with no parameters: pixels whose side is not <see cref="BackboneSpec.WorkingSize"/> are resized to it
/// (bilinear, PyTorch's <c>align_corners=False</c>); then made the three channels the pretrained filters know (gray is
/// repeated into R, G and B, three channels pass as they are, any other count is averaged into gray and repeated); then
/// normalised with ImageNet's mean and standard deviation, as torchvision's weights expect.
/// </para>
/// </summary>
public abstract class BackboneClassifier : nn.Module<Tensor, Tensor>
{
    // The statistics torchvision's ImageNet weights were trained with; the ONNX graph normalises with them too.
    internal static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];
    internal static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];

    private protected BackboneClassifier(string name, BackboneSpec spec) : base(NativeModuleName.AfterLoading(name))
    {
        Spec = spec;
    }

    /// <summary>What this module was built for.</summary>
    public BackboneSpec Spec { get; }

    /// <summary>The state-dict prefix of the linear head: <c>fc</c> (ResNet-18) or <c>classifier.1</c> (MobileNetV2).</summary>
    public abstract string HeadName { get; }

    /// <summary>Width of the pooled features the head reads: 512 (ResNet-18) or 1280 (MobileNetV2).</summary>
    public abstract int FeatureWidth { get; }

    /// <summary>The mode <see cref="Freeze"/> last applied; <see cref="Backbones.FreezeMode.Full"/> when built.</summary>
    public FreezeMode FreezeMode { get; private set; } = FreezeMode.Full;

    /// <summary>State-dict prefixes of the blocks that <see cref="Backbones.FreezeMode.Partial"/> trains besides the head.</summary>
    private protected abstract IReadOnlyList<string> LastStage { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor pixels) => Classify(ExtractFeatures(pixels));

    /// <summary>
    /// The pooled features <c>[N, FeatureWidth]</c> the head reads. With a frozen backbone they do not change during
    /// training, so a trainer may compute them once per image and train only the head.
    /// </summary>
    public Tensor ExtractFeatures(Tensor pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        return PooledFeatures(Normalize(ToRgb(Resize(pixels))));
    }

    /// <summary>
    /// Sets which parameters train (<c>requires_grad</c>) and returns them. Batch norms of the frozen part stay in
    /// evaluation mode from now on, even when the trainer calls <c>train()</c>.
    /// </summary>
    public TrainableParameters Freeze(FreezeMode mode)
    {
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown freeze mode.");
        FreezeMode = mode;
        List<Parameter> head = [], backbone = [];
        foreach (var (name, parameter) in named_parameters())
        {
            var trainable = Trains(name);
            parameter.requires_grad = trainable;
            if (trainable) (IsHead(name) ? head : backbone).Add(parameter);
        }
        train(training);
        return new TrainableParameters(head, backbone);
    }

    // A frozen batch norm left in training mode would normalise each batch with that batch's statistics and pull its
    // running statistics towards the new data: the frozen layers would then compute something else than the
    // pretrained ones, which is exactly what freezing is meant to prevent (and small batches make those statistics noisy).
    /// <inheritdoc />
    public override void train(bool train = true)
    {
        base.train(train);
        if (!train || FreezeMode == FreezeMode.Full) return;
        foreach (var (name, module) in named_modules())
        {
            if (module is NormBase norm && !Trains($"{name}.weight")) norm.eval();
        }
    }

    /// <summary>The network from normalised RGB to pooled features <c>[N, FeatureWidth]</c>.</summary>
    private protected abstract Tensor PooledFeatures(Tensor rgb);

    /// <summary>The head (with its dropout in training mode): pooled features from <see cref="ExtractFeatures"/> to logits.</summary>
    public Tensor ClassifyFeatures(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return Classify(features);
    }

    /// <summary>The head: pooled features to logits.</summary>
    private protected abstract Tensor Classify(Tensor features);

    private bool IsHead(string name) => name.StartsWith(HeadName + ".", StringComparison.Ordinal);

    private bool Trains(string name) => IsHead(name) || FreezeMode switch
    {
        FreezeMode.Full => true,
        FreezeMode.Partial => LastStage.Any(stage => name.StartsWith(stage + ".", StringComparison.Ordinal)),
        _ => false,
    };

    private Tensor Resize(Tensor pixels)
    {
        var size = Spec.WorkingSize;
        return pixels.shape[^1] == size && pixels.shape[^2] == size
            ? pixels
            : nn.functional.interpolate(pixels, size: [size, size], mode: InterpolationMode.Bilinear, align_corners: false);
    }

    // Gray is repeated rather than conv1's weights summed over R, G and B when loading. The two compute the same, but
    // repeating keeps conv1 at torchvision's [out, 3, k, k] for every dataset: one imported file serves gray and colour
    // searches alike, and a fine-tuned model's weights stay in torchvision's layout. The price is conv1 reading three
    // equal planes, a few percent of the network's work.
    private Tensor ToRgb(Tensor pixels) => pixels.shape[1] switch
    {
        3 => pixels,
        1 => pixels.expand(-1, 3, -1, -1),
        _ => pixels.mean([1], keepdim: true).expand(-1, 3, -1, -1),
    };

    private static Tensor Normalize(Tensor rgb)
    {
        var mean = torch.tensor(ImageNetMean, [1, 3, 1, 1], device: rgb.device);
        var std = torch.tensor(ImageNetStd, [1, 3, 1, 1], device: rgb.device);
        return rgb.sub(mean).div_(std);
    }

    /// <summary>torchvision's initialisation for convolutions (He, fan-out), which training from scratch relies on.</summary>
    private protected void InitializeConvolutions()
    {
        using var noGrad = torch.no_grad();
        foreach (var module in modules())
        {
            if (module is Conv2d conv) nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
        }
    }
}
