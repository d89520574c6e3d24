using AutoMLStudio.Engine.Backbones;
using TorchSharp.Modules;

namespace AutoMLStudio.Engine.Onnx;

/// <summary>
/// The ONNX graph of a <see cref="BackboneClassifier"/>: the input adaptation (resize, channels, ImageNet
/// normalisation), then the network walked module by module as its <c>forward</c> does, each layer reading its
/// settings and weights from the module under torchvision's names.
/// </summary>
internal static class BackboneGraph
{
    public const string Input = "pixels";
    public const string Output = "probabilities";

    public static byte[] Build(BackboneClassifier model)
    {
        var spec = model.Spec;
        var graph = new ModuleGraph("backbone_classifier", model);
        var batch = OnnxDim.Named("N");
        var value = graph.Graph.Input(Input, OnnxType.Float, batch, spec.InputChannels, spec.InputSize, spec.InputSize);
        value = Normalize(graph, ToRgb(graph, Resize(graph, value, spec), spec.InputChannels));
        value = model switch
        {
            ResNet18 => ResNet18Features(graph, value),
            MobileNetV2 => MobileNetV2Features(graph, value),
            _ => throw new NotSupportedException($"No ONNX export for {model.GetType().Name}."),
        };
        value = graph.Graph.Node("GlobalAveragePool", "pool", [value]);
        value = graph.Graph.Node("Flatten", "flatten", [value], OnnxAttribute.Int("axis", 1));
        value = graph.Linear(model.HeadName, value, model.FeatureWidth, spec.ClassCount);
        graph.Softmax(Output, value);
        graph.Graph.Output(Output, OnnxType.Float, batch, spec.ClassCount);
        return graph.Graph.ToModel();
    }

    // Resize to [N, C, S, S]. The sizes are computed from the input's shape because the batch is symbolic; sizes
    // rather than scales, because a float scale such as 64/28 can floor to one pixel less.
    private static string Resize(ModuleGraph graph, string input, BackboneSpec spec)
    {
        if (spec.InputSize == spec.WorkingSize) return input;
        var g = graph.Graph;
        var shape = g.Node("Shape", "resize.shape", [input]);
        var leading = g.Node("Slice", "resize.leading", [shape, g.Initializer("resize.start", [0L], 1), g.Initializer("resize.end", [2L], 1)]);
        var sizes = g.Node("Concat", "resize.sizes", [leading, g.Initializer("resize.side", [spec.WorkingSize, (long)spec.WorkingSize], 2)], OnnxAttribute.Int("axis", 0));
        // pytorch_half_pixel is interpolate(mode="bilinear", align_corners=False), antialiasing aside, which only downsampling would need.
        return g.Node("Resize", "resize", [input, "", "", sizes],
            OnnxAttribute.String("mode", "linear"),
            OnnxAttribute.String("coordinate_transformation_mode", "pytorch_half_pixel"));
    }

    private static string ToRgb(ModuleGraph graph, string input, int channels)
    {
        if (channels == 3) return input;
        var gray = channels == 1 ? input : graph.Graph.Node("ReduceMean", "gray", [input], OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 1));
        return graph.Graph.Node("Concat", "rgb", [gray, gray, gray], OnnxAttribute.Int("axis", 1));
    }

    private static string Normalize(ModuleGraph graph, string rgb)
    {
        var g = graph.Graph;
        var mean = g.Initializer("normalize.mean", BackboneClassifier.ImageNetMean, 1, 3, 1, 1);
        var std = g.Initializer("normalize.std", BackboneClassifier.ImageNetStd, 1, 3, 1, 1);
        return g.Node("Div", "normalize", [g.Node("Sub", "normalize.centered", [rgb, mean]), std]);
    }

    private static string ResNet18Features(ModuleGraph graph, string input)
    {
        var value = graph.Relu("relu", BatchNorm(graph, "bn1", graph.Conv("conv1", input)));
        value = graph.Graph.Node("MaxPool", "maxpool", [value],
            OnnxAttribute.Ints("kernel_shape", 3, 3), OnnxAttribute.Ints("strides", 2, 2), OnnxAttribute.Ints("pads", 1, 1, 1, 1));
        for (var stage = 1; stage <= ResNet18.Stages.Length; stage++)
        {
            for (var block = 0; block < ResNet18.BlocksPerStage; block++) value = BasicBlock(graph, $"layer{stage}.{block}", value);
        }
        return value;
    }

    private static string BasicBlock(ModuleGraph graph, string path, string input)
    {
        var value = graph.Relu($"{path}.relu1", BatchNorm(graph, $"{path}.bn1", graph.Conv($"{path}.conv1", input)));
        value = BatchNorm(graph, $"{path}.bn2", graph.Conv($"{path}.conv2", value));
        var shortcut = ((BasicBlock)graph.Module(path)).HasDownsample
            ? BatchNorm(graph, $"{path}.downsample.1", graph.Conv($"{path}.downsample.0", input))
            : input;
        return graph.Relu(path, graph.Graph.Node("Add", $"{path}.add", [value, shortcut]));
    }

    private static string MobileNetV2Features(ModuleGraph graph, string input)
    {
        var value = input;
        foreach (var (name, module) in ((Sequential)graph.Module("features")).named_children())
        {
            var path = $"features.{name}";
            value = module is InvertedResidual block ? InvertedResidual(graph, path, block, value) : ConvBnRelu6(graph, path, value);
        }
        return value;
    }

    private static string InvertedResidual(ModuleGraph graph, string path, InvertedResidual block, string input)
    {
        var value = input;
        foreach (var (name, module) in ((Sequential)graph.Module($"{path}.conv")).named_children())
        {
            var layer = $"{path}.conv.{name}";
            value = module switch
            {
                Sequential => ConvBnRelu6(graph, layer, value),
                Conv2d => graph.Conv(layer, value),
                _ => BatchNorm(graph, layer, value),
            };
        }
        return block.Residual ? graph.Graph.Node("Add", path, [input, value]) : value;
    }

    // ReLU6 is Clip(0, 6); opset 13 takes the bounds as inputs, shared by every node.
    private static string ConvBnRelu6(ModuleGraph graph, string path, string input)
    {
        var g = graph.Graph;
        var normalized = BatchNorm(graph, $"{path}.1", graph.Conv($"{path}.0", input));
        if (!g.Has("relu6.min"))
        {
            g.Initializer("relu6.min", [0f]);
            g.Initializer("relu6.max", [6f]);
        }
        return g.Node("Clip", $"{path}.2", [normalized, "relu6.min", "relu6.max"]);
    }

    private static string BatchNorm(ModuleGraph graph, string path, string input) =>
        graph.BatchNorm(path, input, ((NormBase)graph.Module(path)).num_features);
}
