using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Engine.Tabular;

/// <summary>Analytic parameter and MAC counts of a <see cref="TabularMlpArchitecture"/>, layer by layer.</summary>
public static class TabularCost
{
    /// <summary>
    /// Every layer with parameters, named as in <see cref="TabularMlp"/>. Embedding: <c>cardinality * width</c>
    /// parameters and no MACs (a lookup); hidden linear: <c>in * out</c> (+ <c>out</c> bias without batch norm)
    /// parameters, <c>in * out</c> MACs; batch norm: <c>2 * out</c> parameters; output: <c>in * out + out</c>
    /// parameters, <c>in * out</c> MACs. ReLU, batch norm and dropout arithmetic is not counted, as for the CNNs.
    /// </summary>
    public static IReadOnlyList<LayerCost> Layers(TabularMlpArchitecture a)
    {
        ArgumentNullException.ThrowIfNull(a);
        var layers = new List<LayerCost>();
        for (var k = 0; k < a.Cardinalities.Count; k++)
            layers.Add(new LayerCost($"embeddings.{k}", (long)a.Cardinalities[k] * TabularMlpArchitecture.EmbeddingWidth(a.Cardinalities[k]), 0));
        long width = a.InputWidth;
        for (var i = 0; i < a.HiddenLayers; i++)
        {
            long units = a.HiddenWidth;
            layers.Add(new LayerCost($"body.hidden{i}", width * units + (a.BatchNorm ? 0 : units), width * units));
            if (a.BatchNorm) layers.Add(new LayerCost($"body.bn{i}", 2 * units, 0));
            width = units;
        }
        layers.Add(new LayerCost("body.output", width * a.Outputs + a.Outputs, width * a.Outputs));
        return layers;
    }

    /// <summary>Trainable parameters; equals the built <see cref="TabularMlp"/>'s.</summary>
    public static long CountParameters(TabularMlpArchitecture a) => Layers(a).TotalParameters();

    /// <summary>Multiply-accumulates for one row.</summary>
    public static long CountFlops(TabularMlpArchitecture a) => Layers(a).TotalMacs();
}
