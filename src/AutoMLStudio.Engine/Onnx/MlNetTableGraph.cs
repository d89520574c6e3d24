using AutoMLStudio.Engine.Training;
using AutoMLStudio.Engine.Trees;

namespace AutoMLStudio.Engine.Onnx;

/// <summary>
/// The ONNX graph of a tree or linear model trained by ML.NET, with the tabular model's contract
/// (<see cref="TabularModelGraph"/>): inputs <c>numeric</c> float32 [N, numeric] and <c>categorical</c> int64
/// [N, categorical] (each absent when the plan has none), output <c>probabilities</c> float32 [N, classes] in class
/// index order, or <c>value</c> float32 [N, 1] in the target's units. ML.NET's converter writes the model on its
/// <c>Features</c> vector; our nodes build that vector from the two inputs as <see cref="TableFeatureVectors"/> does
/// (categories as their index, or one-hot) and turn the converter's outputs into ours: a binary model's P(positive)
/// into [1 - p, p], a regression's standardised score back into the target's units.
/// </summary>
internal static class MlNetTableGraph
{
    private const string Prefix = "studio.";

    public static byte[] Build(byte[] converted, TableInputs inputs, TableFeatureLayout layout, StandardScaling? target)
    {
        var regression = inputs.Task == PredictionTask.Regression;
        if (regression && target is null)
            throw new ArgumentException("A regression model needs its target scaling, so that the graph returns values in the target's units.", nameof(target));

        var graph = new OnnxGraph("tabular_model");
        var batch = OnnxDim.Named("N");
        var parts = new List<string>();
        if (inputs.NumericFeatures > 0) parts.Add(graph.Input(TabularModelGraph.NumericInput, OnnxType.Float, batch, inputs.NumericFeatures));
        if (inputs.Cardinalities.Count > 0)
        {
            var categorical = graph.Input(TabularModelGraph.CategoricalInput, OnnxType.Int64, batch, inputs.Cardinalities.Count);
            if (layout == TableFeatureLayout.Ordinal) parts.Add(graph.Node("Cast", Prefix + "categorical.float", [categorical], OnnxAttribute.Int("to", (long)OnnxType.Float)));
            else for (var k = 0; k < inputs.Cardinalities.Count; k++) parts.Add(OneHot(graph, categorical, k, inputs.Cardinalities[k]));
        }
        // The converted graph reads its vector from the value named like ML.NET's column.
        graph.Node(parts.Count == 1 ? "Identity" : "Concat", MlNetData.Features, parts, parts.Count == 1 ? [] : [OnnxAttribute.Int("axis", 1)]);
        graph.Embed(converted);

        if (regression)
        {
            var scaled = graph.Node("Mul", Prefix + "value.scaled", ["Score.output", graph.Initializer(Prefix + "target.scale", [(float)target!.Scale], 1)]);
            graph.Node("Add", TabularModelGraph.ValueOutput, [scaled, graph.Initializer(Prefix + "target.mean", [(float)target.Mean], 1)]);
            graph.Output(TabularModelGraph.ValueOutput, OnnxType.Float, batch, 1);
        }
        else if (inputs.ClassCount == 2)
        {
            var positive = graph.Node("Reshape", Prefix + "positive", ["Probability.output", graph.Initializer(Prefix + "column", [-1L, 1L], 2)]);
            var negative = graph.Node("Sub", Prefix + "negative", [graph.Initializer(Prefix + "one", [1f], 1), positive]);
            graph.Node("Concat", TabularModelGraph.ClassOutput, [negative, positive], OnnxAttribute.Int("axis", 1));
            graph.Output(TabularModelGraph.ClassOutput, OnnxType.Float, batch, 2);
        }
        else
        {
            graph.Node("Identity", TabularModelGraph.ClassOutput, ["Score.output"]);
            graph.Output(TabularModelGraph.ClassOutput, OnnxType.Float, batch, inputs.ClassCount);
        }
        return graph.ToModel();
    }

    // Column k of the index matrix ([N]), one-hot over its cardinality: [N, cardinality] of 0 and 1.
    private static string OneHot(OnnxGraph graph, string categorical, int k, int cardinality)
    {
        var column = graph.Node("Gather", $"{Prefix}categorical.{k}",
            [categorical, graph.Initializer($"{Prefix}categorical.{k}.index", [(long)k])], OnnxAttribute.Int("axis", 1));
        return graph.Node("OneHot", $"{Prefix}categorical.{k}.onehot",
            [column, graph.Initializer($"{Prefix}categorical.{k}.depth", [(long)cardinality], 1), graph.Initializer($"{Prefix}categorical.{k}.values", [0f, 1f], 2)],
            OnnxAttribute.Int("axis", -1));
    }
}
