using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Engine.Text;

/// <summary>Analytic parameter and MAC counts of a <see cref="TextClassifierArchitecture"/>, layer by layer, at full length.</summary>
public static class TextCost
{
    /// <summary>
    /// Every layer with parameters, named as in <see cref="TextClassifier"/>, for a text of
    /// <see cref="TextClassifierArchitecture.MaxLength"/> words. Embedding: <c>rows * width</c> parameters; its MACs are
    /// the embedding-bag's mean (<c>tokens * width</c> additions, bigrams included), none for the CNN (a lookup).
    /// Hidden and output linear: <c>in * out + out</c> parameters, <c>in * out</c> MACs. Conv1d (same padding):
    /// <c>width * kernel * filters + filters</c> parameters, <c>length * filters * width * kernel</c> MACs.
    /// ReLU, pooling and dropout are not counted, as for the CNNs.
    /// </summary>
    public static IReadOnlyList<LayerCost> Layers(TextClassifierArchitecture a)
    {
        ArgumentNullException.ThrowIfNull(a);
        long width = a.EmbeddingWidth;
        var bag = a.Family == TextModelFamilies.EmbeddingBag;
        var layers = new List<LayerCost> { new("embedding", a.EmbeddingRows * width, bag ? a.MaxTokens * width : 0) };
        var features = width;
        if (bag && a.HiddenUnits > 0)
        {
            layers.Add(new LayerCost("hidden", features * a.HiddenUnits + a.HiddenUnits, features * a.HiddenUnits));
            features = a.HiddenUnits;
        }
        if (!bag)
        {
            layers.Add(new LayerCost("conv", width * a.Kernel * a.Filters + a.Filters, (long)a.MaxLength * a.Filters * width * a.Kernel));
            features = a.Filters;
        }
        layers.Add(new LayerCost("output", features * a.ClassCount + a.ClassCount, features * a.ClassCount));
        return layers;
    }

    /// <summary>Trainable parameters; equals the built <see cref="TextClassifier"/>'s.</summary>
    public static long CountParameters(TextClassifierArchitecture a) => Layers(a).TotalParameters();

    /// <summary>Multiply-accumulates for one text of full length.</summary>
    public static long CountFlops(TextClassifierArchitecture a) => Layers(a).TotalMacs();
}
