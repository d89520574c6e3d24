using AutoMLStudio.Engine.Models;
using AutoMLStudio.Engine.Spaces;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Onnx;

/// <summary>
/// The ONNX graph of a <see cref="CnnModelFactory"/> module, emitted by walking the same <see cref="CnnLayerPlan"/>
/// the factory builds from, so the graph and the module cannot describe different networks.
/// </summary>
internal static class ImageClassifierGraph
{
    public const string Input = "pixels";
    public const string Output = "probabilities";

    public static byte[] Build(CnnArchitecture architecture, nn.Module<Tensor, Tensor> model)
    {
        var graph = new ModuleGraph("image_classifier", model);
        var batch = OnnxDim.Named("N");
        var value = graph.Graph.Input(Input, OnnxType.Float, batch, architecture.InputChannels, architecture.InputSize, architecture.InputSize);
        foreach (var layer in CnnLayerPlan.For(architecture).Layers) value = Emit(graph, layer, value, layer.Name);
        graph.Softmax(Output, value);
        graph.Graph.Output(Output, OnnxType.Float, batch, architecture.ClassCount);
        return graph.Graph.ToModel();
    }

    /// <summary>Emits <paramref name="layer"/>, whose module is at <paramref name="path"/>, and returns its output.</summary>
    private static string Emit(ModuleGraph graph, PlannedLayer layer, string input, string path) => layer switch
    {
        NormalizeLayer n => graph.Graph.Node("Div", path,
            [graph.Graph.Node("Sub", $"{path}.centered", [input, graph.Parameter($"{path}.mean", 1, n.Mean.Length, 1, 1)]),
             graph.Parameter($"{path}.std", 1, n.Std.Length, 1, 1)]),
        ConvLayer c => Conv(graph, c, input, path),
        BatchNormLayer b => graph.BatchNorm(path, input, b.Channels),
        ReluLayer => graph.Relu(path, input),
        PoolLayer p => graph.Graph.Node(p.Max ? "MaxPool" : "AveragePool", path, [input], PoolAttributes(p)),
        GlobalAvgPoolLayer => graph.Graph.Node("GlobalAveragePool", path, [input]),
        FlattenLayer => graph.Graph.Node("Flatten", path, [input], OnnxAttribute.Int("axis", 1)),
        LinearLayer l => graph.Linear(path, input, l.In, l.Out),
        DropoutLayer => input, // identity at inference
        BlockLayer b => Block(graph, b, input, path),
        _ => throw new NotSupportedException($"No ONNX export for layer {layer.Name} ({layer.GetType().Name})."),
    };

    private static string Conv(ModuleGraph graph, ConvLayer c, string input, string path)
    {
        var weight = graph.Parameter($"{path}.weight", c.Out, c.In / c.Groups, c.Kernel, c.Kernel);
        string[] inputs = c.Bias ? [input, weight, graph.Parameter($"{path}.bias", c.Out)] : [input, weight];
        return graph.Graph.Node("Conv", path, inputs,
            OnnxAttribute.Ints("kernel_shape", c.Kernel, c.Kernel),
            OnnxAttribute.Ints("strides", c.Stride, c.Stride),
            OnnxAttribute.Ints("pads", c.Padding, c.Padding, c.Padding, c.Padding),
            OnnxAttribute.Ints("dilations", c.Dilation, c.Dilation),
            OnnxAttribute.Int("group", c.Groups));
    }

    // TorchSharp's AvgPool2d counts the zero padding in the divisor (count_include_pad defaults to true); ONNX does not by default.
    private static OnnxAttribute[] PoolAttributes(PoolLayer p)
    {
        List<OnnxAttribute> attributes =
        [
            OnnxAttribute.Ints("kernel_shape", p.Kernel, p.Kernel),
            OnnxAttribute.Ints("strides", p.Stride, p.Stride),
            OnnxAttribute.Ints("pads", p.Padding, p.Padding, p.Padding, p.Padding),
        ];
        if (!p.Max) attributes.Add(OnnxAttribute.Int("count_include_pad", 1));
        return [.. attributes];
    }

    // A residual block is a module wrapping its layers as "body" (CnnModelFactory.Residual); its output is x + body(x).
    private static string Block(ModuleGraph graph, BlockLayer block, string input, string path)
    {
        var bodyPath = block.Residual ? $"{path}.body" : path;
        var value = input;
        foreach (var layer in block.Layers) value = Emit(graph, layer, value, $"{bodyPath}.{layer.Name}");
        return block.Residual ? graph.Graph.Node("Add", path, [input, value]) : value;
    }
}
