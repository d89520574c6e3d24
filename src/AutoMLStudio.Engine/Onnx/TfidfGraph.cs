using AutoMLStudio.Engine.Text;

namespace AutoMLStudio.Engine.Onnx;

/// <summary>
/// The ONNX graph of a <see cref="TfidfClassifier"/>, mirroring its forward pass step by step: the same <c>ids</c>
/// int64 [N, L] input as every text model (so hosting, batch prediction and the registry's check need nothing new)
/// and <c>probabilities</c> float32 [N, classes].
/// </summary>
internal static class TfidfGraph
{
    public static byte[] Build(TfidfClassifier model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var a = model.Architecture;
        var module = new ModuleGraph("tfidf_classifier", model);
        var g = module.Graph;
        var batch = OnnxDim.Named("N");
        var ids = g.Input(TextClassifierGraph.Input, OnnxType.Int64, batch, OnnxDim.Named("L"));
        var idf = module.Parameter("idf", a.EmbeddingRows);
        var weights = module.Parameter("weights.weight", a.EmbeddingRows, a.ClassCount);
        var bias = module.Parameter("bias", a.ClassCount);
        var (axis1, axis2) = (g.Initializer("axis1", [1L], 1), g.Initializer("axis2", [2L], 1));

        // Counts by comparing every position with every other: [N, L, 1] == [N, 1, L], summed over the last axis.
        var same = g.Node("Equal", "same", [g.Node("Unsqueeze", "ids.rows", [ids, axis2]), g.Node("Unsqueeze", "ids.columns", [ids, axis1])]);
        var counts = g.Node("ReduceSum", "counts", [g.Node("Cast", "same.float", [same], OnnxAttribute.Int("to", (long)OnnxType.Float)), axis2],
            OnnxAttribute.Int("keepdims", 0)); // [N, L]
        var tf = g.Node("Add", "tf", [g.Node("Log", "counts.log", [counts]), g.Initializer("one", [1f])]);
        var value = g.Node("Mul", "value", [tf, g.Node("Gather", "idf.at", [idf, ids], OnnxAttribute.Int("axis", 0))]);
        var share = g.Node("Div", "share", [value, counts]);
        var squares = g.Node("ReduceSum", "squares", [g.Node("Mul", "value.share", [value, share]), axis1], OnnxAttribute.Int("keepdims", 1)); // [N, 1]
        var norm = g.Node("Max", "norm", [g.Node("Sqrt", "squares.sqrt", [squares]), g.Initializer("epsilon", [1e-12f])]);
        var scaled = g.Node("Unsqueeze", "scaled", [g.Node("Div", "share.normed", [share, norm]), axis2]); // [N, L, 1]

        var rows = g.Node("Gather", "weights.at", [weights, ids], OnnxAttribute.Int("axis", 0)); // [N, L, classes]
        var sum = g.Node("ReduceSum", "weighted", [g.Node("Mul", "weights.scaled", [rows, scaled]), axis1], OnnxAttribute.Int("keepdims", 0));
        var logits = g.Node("Add", "logits", [sum, bias]);
        module.Softmax(TextClassifierGraph.Output, logits);
        g.Output(TextClassifierGraph.Output, OnnxType.Float, batch, a.ClassCount);
        return g.ToModel();
    }
}
