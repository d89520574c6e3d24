using AutoMLStudio.Engine.Native;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AutoMLStudio.Engine.Backbones;

/// <summary>
/// torchvision's <c>resnet18</c>: <c>conv1</c> (7x7, stride 2) -> <c>bn1</c> -> ReLU -> 3x3 max pool (stride 2) ->
/// <c>layer1</c> to <c>layer4</c>, two <see cref="BasicBlock"/>s each (named <c>0</c> and <c>1</c>) -> global average
/// pool -> <c>fc</c>.
/// </summary>
internal sealed class ResNet18 : BackboneClassifier
{
    public const int StemWidth = 64;
    public const int BlocksPerStage = 2;

    /// <summary>Width and first stride of each stage, as torchvision's <c>_make_layer</c> calls.</summary>
    public static readonly (int Width, int Stride)[] Stages = [(64, 1), (128, 2), (256, 2), (512, 2)];

    private static readonly string[] LastStageNames = ["layer4"];

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Sequential layer1, layer2, layer3, layer4;
    private readonly Linear fc;

    public ResNet18(BackboneSpec spec) : base(nameof(ResNet18), spec)
    {
        conv1 = Conv2d(3, StemWidth, 7, stride: 2, padding: 3, bias: false);
        bn1 = BatchNorm2d(StemWidth);
        var inputs = StemWidth;
        var stages = Stages.Select(stage => Stage(ref inputs, stage.Width, stage.Stride)).ToArray();
        (layer1, layer2, layer3, layer4) = (stages[0], stages[1], stages[2], stages[3]);
        fc = Linear(Stages[^1].Width, spec.ClassCount);

        // Registered by hand, in torchvision's order, so the state dict lists its tensors as torchvision's does.
        register_module("conv1", conv1);
        register_module("bn1", bn1);
        register_module("layer1", layer1);
        register_module("layer2", layer2);
        register_module("layer3", layer3);
        register_module("layer4", layer4);
        register_module("fc", fc);
        InitializeConvolutions();
    }

    public override string HeadName => "fc";

    public override int FeatureWidth => Stages[^1].Width;

    private protected override IReadOnlyList<string> LastStage => LastStageNames;

    private protected override Tensor PooledFeatures(Tensor rgb)
    {
        var x = functional.relu(bn1.forward(conv1.forward(rgb)));
        x = functional.max_pool2d(x, 3, stride: 2, padding: 1);
        x = layer4.forward(layer3.forward(layer2.forward(layer1.forward(x))));
        return x.mean([2, 3]);
    }

    private protected override Tensor Classify(Tensor features) => fc.forward(features);

    private static Sequential Stage(ref int inputs, int width, int stride)
    {
        var first = new BasicBlock(inputs, width, stride);
        inputs = width;
        return Sequential(("0", first), ("1", new BasicBlock(width, width, 1)));
    }
}

/// <summary>
/// torchvision's <c>BasicBlock</c>: <c>relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))</c>, where the shortcut is
/// <c>downsample</c> (a 1x1 conv <c>0</c> and batch norm <c>1</c>) when the block changes width or stride, else x.
/// </summary>
internal sealed class BasicBlock : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1, conv2;
    private readonly BatchNorm2d bn1, bn2;
    private readonly Sequential? downsample;

    public BasicBlock(int inputs, int width, int stride) : base(nameof(BasicBlock))
    {
        conv1 = Conv2d(inputs, width, 3, stride: stride, padding: 1, bias: false);
        bn1 = BatchNorm2d(width);
        conv2 = Conv2d(width, width, 3, padding: 1, bias: false);
        bn2 = BatchNorm2d(width);
        register_module("conv1", conv1);
        register_module("bn1", bn1);
        register_module("conv2", conv2);
        register_module("bn2", bn2);
        if (stride != 1 || inputs != width)
        {
            downsample = Sequential(("0", Conv2d(inputs, width, 1, stride: stride, bias: false)), ("1", BatchNorm2d(width)));
            register_module("downsample", downsample);
        }
    }

    public bool HasDownsample => downsample is not null;

    public override Tensor forward(Tensor input)
    {
        var residual = bn2.forward(conv2.forward(functional.relu(bn1.forward(conv1.forward(input)))));
        var shortcut = downsample?.forward(input) ?? input;
        return functional.relu(residual.add(shortcut, HeldScalars.One));
    }
}
