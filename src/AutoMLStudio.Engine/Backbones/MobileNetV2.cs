using AutoMLStudio.Engine.Native;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AutoMLStudio.Engine.Backbones;

/// <summary>
/// torchvision's <c>mobilenet_v2</c> (width 1.0): <c>features</c> = <c>0</c>, a 3x3 stride-2 conv-bn-ReLU6 to 32
/// channels; <c>1</c> to <c>17</c>, <see cref="InvertedResidual"/> blocks; <c>18</c>, a 1x1 conv-bn-ReLU6 to 1280;
/// then global average pooling and <c>classifier</c> = <c>0</c> dropout 0.2, <c>1</c> linear. A conv-bn-ReLU6 is a
/// sequential of conv <c>0</c>, batch norm <c>1</c> and ReLU6 <c>2</c>, as torchvision's <c>Conv2dNormActivation</c>.
/// </summary>
internal sealed class MobileNetV2 : BackboneClassifier
{
    public const int StemWidth = 32;
    public const int LastWidth = 1280;
    public const double HeadDropout = 0.2;

    /// <summary>torchvision's <c>inverted_residual_setting</c>: expansion t, channels c, repeats n, first stride s.</summary>
    public static readonly (int Expansion, int Channels, int Repeats, int Stride)[] Settings =
        [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)];

    // Everything at the last resolution (stride 32): the 160- and 320-channel blocks and the final 1x1 conv.
    private static readonly string[] LastStageNames = ["features.14", "features.15", "features.16", "features.17", "features.18"];

    private readonly Sequential features, classifier;

    public MobileNetV2(BackboneSpec spec) : base(nameof(MobileNetV2), spec)
    {
        var layers = new List<(string, Module<Tensor, Tensor>)> { ("0", ConvBnRelu6(3, StemWidth, 3, 2)) };
        var inputs = StemWidth;
        foreach (var (expansion, channels, repeats, stride) in Settings)
        {
            for (var i = 0; i < repeats; i++)
            {
                layers.Add(($"{layers.Count}", new InvertedResidual(inputs, channels, i == 0 ? stride : 1, expansion)));
                inputs = channels;
            }
        }
        layers.Add(($"{layers.Count}", ConvBnRelu6(inputs, LastWidth, 1, 1)));
        features = Sequential(layers);
        var head = Linear(LastWidth, spec.ClassCount);
        classifier = Sequential(("0", nn.Dropout(HeadDropout)), ("1", head));
        register_module("features", features);
        register_module("classifier", classifier);

        InitializeConvolutions();
        using var noGrad = no_grad();
        init.normal_(head.weight, 0, 0.01);
        init.zeros_(head.bias);
    }

    public override string HeadName => "classifier.1";

    public override int FeatureWidth => LastWidth;

    private protected override IReadOnlyList<string> LastStage => LastStageNames;

    private protected override Tensor PooledFeatures(Tensor rgb) => features.forward(rgb).mean([2, 3]);

    private protected override Tensor Classify(Tensor pooled) => classifier.forward(pooled);

    /// <summary>Conv (no bias; padding keeps the size up to the stride) -> batch norm -> ReLU6, named 0, 1, 2.</summary>
    public static Sequential ConvBnRelu6(int inputs, int outputs, int kernel, int stride, int groups = 1) => Sequential(
        ("0", Conv2d(inputs, outputs, kernel, stride: stride, padding: (kernel - 1) / 2, groups: groups, bias: false)),
        ("1", BatchNorm2d(outputs)),
        ("2", ReLU6()));
}

/// <summary>
/// torchvision's <c>InvertedResidual</c>: <c>conv</c> = [1x1 conv-bn-ReLU6 expanding to <c>inputs * t</c> channels
/// (left out when t = 1)], 3x3 depthwise conv-bn-ReLU6 with the block's stride, 1x1 conv, batch norm; the input is
/// added to the result when stride and width stay the same.
/// </summary>
internal sealed class InvertedResidual : Module<Tensor, Tensor>
{
    private readonly Sequential conv;

    public InvertedResidual(int inputs, int outputs, int stride, int expansion) : base(nameof(InvertedResidual))
    {
        var hidden = inputs * expansion;
        var layers = new List<Module<Tensor, Tensor>>();
        if (expansion != 1) layers.Add(MobileNetV2.ConvBnRelu6(inputs, hidden, 1, 1));
        layers.Add(MobileNetV2.ConvBnRelu6(hidden, hidden, 3, stride, groups: hidden));
        layers.Add(Conv2d(hidden, outputs, 1, bias: false));
        layers.Add(BatchNorm2d(outputs));
        conv = Sequential(layers.Select((layer, i) => ($"{i}", layer)));
        Residual = stride == 1 && inputs == outputs;
        register_module("conv", conv);
    }

    /// <summary>Whether the block adds its input to its output.</summary>
    public bool Residual { get; }

    public override Tensor forward(Tensor input)
    {
        var output = conv.forward(input);
        return Residual ? input.add(output, HeldScalars.One) : output;
    }
}
