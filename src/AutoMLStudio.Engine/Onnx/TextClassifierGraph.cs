using AutoMLStudio.Engine.Text;

namespace AutoMLStudio.Engine.Onnx;

/// <summary>The ONNX graph of a <see cref="TextClassifier"/>, mirroring its forward pass step by step.</summary>
internal static class TextClassifierGraph
{
    public const string Input = "ids";
    public const string Output = "probabilities";

    public static byte[] Build(TextClassifier model)
    {
        var a = model.Architecture;
        var graph = new ModuleGraph("text_classifier", model);
        var batch = OnnxDim.Named("N");
        var ids = graph.Graph.Input(Input, OnnxType.Int64, batch, OnnxDim.Named("L"));
        var table = graph.Parameter("embedding.weight", a.EmbeddingRows, a.EmbeddingWidth);
        var embedded = graph.Graph.Node("Gather", "embedding", [table, ids], OnnxAttribute.Int("axis", 0)); // [N, L, D]

        var (features, width) = a.Family == TextModelFamilies.EmbeddingBag ? Bag(graph, a, ids, embedded) : Cnn(graph, a, embedded);
        var logits = graph.Linear("output", features, width, a.ClassCount);
        graph.Softmax(Output, logits);
        graph.Graph.Output(Output, OnnxType.Float, batch, a.ClassCount);
        return graph.Graph.ToModel();
    }

    // The sum over all positions divided by the count of non-padding ids, clamped to 1, exactly as forward() does:
    // padding rows are summed too (they are the zero row), and an all-padding text gives a zero vector.
    private static (string Features, long Width) Bag(ModuleGraph graph, TextClassifierArchitecture a, string ids, string embedded)
    {
        var g = graph.Graph;
        var lengthAxis = g.Initializer("bag.axes", [1L], 1);
        var padding = g.Node("Equal", "bag.padding", [ids, g.Initializer("bag.padding_id", [(long)TextTokenizer.PaddingId])]);
        var tokens = g.Node("Cast", "bag.tokens", [g.Node("Not", "bag.token_mask", [padding])], OnnxAttribute.Int("to", (long)OnnxType.Float));
        var count = g.Node("ReduceSum", "bag.count", [tokens, lengthAxis], OnnxAttribute.Int("keepdims", 1)); // [N, 1]
        var divisor = g.Node("Max", "bag.divisor", [count, g.Initializer("bag.min_count", [1f])]);
        var sum = g.Node("ReduceSum", "bag.sum", [embedded, lengthAxis], OnnxAttribute.Int("keepdims", 0)); // [N, D]
        var features = g.Node("Div", "bag.mean", [sum, divisor]);
        if (a.HiddenUnits == 0) return (features, a.EmbeddingWidth);
        return (graph.Relu("hidden.relu", graph.Linear("hidden", features, a.EmbeddingWidth, a.HiddenUnits)), a.HiddenUnits);
    }

    // [N, L, D] -> [N, D, L] -> 1-D conv keeping the length (padding k/2) -> ReLU -> max over the length: [N, filters].
    private static (string Features, long Width) Cnn(ModuleGraph graph, TextClassifierArchitecture a, string embedded)
    {
        var g = graph.Graph;
        var channels = g.Node("Transpose", "embedding.channels", [embedded], OnnxAttribute.Ints("perm", 0, 2, 1));
        var weight = graph.Parameter("conv.weight", a.Filters, a.EmbeddingWidth, a.Kernel);
        var bias = graph.Parameter("conv.bias", a.Filters);
        var conv = g.Node("Conv", "conv", [channels, weight, bias],
            OnnxAttribute.Ints("kernel_shape", a.Kernel),
            OnnxAttribute.Ints("strides", 1),
            OnnxAttribute.Ints("pads", a.Kernel / 2, a.Kernel / 2),
            OnnxAttribute.Ints("dilations", 1));
        // Opset 13's ReduceMax still takes its axes as an attribute (ReduceSum moved them to an input).
        return (g.Node("ReduceMax", "conv.max", [graph.Relu("conv.relu", conv)], OnnxAttribute.Ints("axes", 2), OnnxAttribute.Int("keepdims", 0)), a.Filters);
    }
}
