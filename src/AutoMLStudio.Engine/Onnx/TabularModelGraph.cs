using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Engine.Onnx;

/// <summary>The ONNX graph of a <see cref="TabularMlp"/>, mirroring its forward pass layer by layer.</summary>
internal static class TabularModelGraph
{
    public const string NumericInput = "numeric";
    public const string CategoricalInput = "categorical";
    public const string ClassOutput = "probabilities";
    public const string ValueOutput = "value";

    public static byte[] Build(TabularMlp model, StandardScaling? target)
    {
        var a = model.Architecture;
        var regression = a.Task == PredictionTask.Regression;
        if (regression && target is null)
            throw new ArgumentException("A regression model needs its target scaling, so that the graph returns values in the target's units.", nameof(target));

        var graph = new ModuleGraph("tabular_model", model);
        var batch = OnnxDim.Named("N");
        var parts = new List<string>();
        if (a.NumericFeatures > 0) parts.Add(graph.Graph.Input(NumericInput, OnnxType.Float, batch, a.NumericFeatures));
        if (a.Cardinalities.Count > 0)
        {
            var categorical = graph.Graph.Input(CategoricalInput, OnnxType.Int64, batch, a.Cardinalities.Count);
            for (var k = 0; k < a.Cardinalities.Count; k++) parts.Add(Embedding(graph, categorical, k, a.Cardinalities[k]));
        }
        var value = parts.Count == 1 ? parts[0] : graph.Graph.Node("Concat", "inputs", parts, OnnxAttribute.Int("axis", 1));

        long width = a.InputWidth;
        for (var i = 0; i < a.HiddenLayers; i++)
        {
            value = graph.Linear($"body.hidden{i}", value, width, a.HiddenWidth);
            if (a.BatchNorm) value = graph.BatchNorm($"body.bn{i}", value, a.HiddenWidth);
            value = graph.Relu($"body.relu{i}", value);
            width = a.HiddenWidth;
        }
        value = graph.Linear("body.output", value, width, a.Outputs);

        if (regression)
        {
            var scaled = graph.Graph.Node("Mul", "value.scaled", [value, graph.Graph.Initializer("target.scale", [(float)target!.Scale], 1)]);
            graph.Graph.Node("Add", ValueOutput, [scaled, graph.Graph.Initializer("target.mean", [(float)target.Mean], 1)]);
            graph.Graph.Output(ValueOutput, OnnxType.Float, batch, 1);
        }
        else
        {
            graph.Softmax(ClassOutput, value);
            graph.Graph.Output(ClassOutput, OnnxType.Float, batch, a.ClassCount);
        }
        return graph.Graph.ToModel();
    }

    // Column k of the index matrix (a scalar index drops the axis: [N]), then the rows of embedding table k: [N, width].
    private static string Embedding(ModuleGraph graph, string categorical, int k, int cardinality)
    {
        var column = graph.Graph.Node("Gather", $"{CategoricalInput}.{k}",
            [categorical, graph.Graph.Initializer($"{CategoricalInput}.{k}.index", [(long)k])], OnnxAttribute.Int("axis", 1));
        var table = graph.Parameter($"embeddings.{k}.weight", cardinality, TabularMlpArchitecture.EmbeddingWidth(cardinality));
        return graph.Graph.Node("Gather", $"embeddings.{k}", [table, column], OnnxAttribute.Int("axis", 0));
    }
}
