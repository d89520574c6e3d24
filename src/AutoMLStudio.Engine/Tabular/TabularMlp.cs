using AutoMLStudio.Engine.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AutoMLStudio.Engine.Tabular;

/// <summary>
/// The module of a <see cref="TabularMlpArchitecture"/>: <c>forward(numeric [N, F] float32, categorical [N, C] int64)</c>
/// returns logits [N, classes] or values [N, 1] (standardised target). Parameter names: <c>embeddings.{k}</c>, then in
/// <c>body</c>: <c>hidden{i}</c>, <c>bn{i}</c>, <c>relu{i}</c>, <c>dropout{i}</c>, <c>output</c>.
/// </summary>
public sealed class TabularMlp : Module<Tensor, Tensor, Tensor>
{
    private readonly ModuleList<Embedding> embeddings;
    private readonly Sequential body;

    /// <summary>Builds the module; initial weights come from TorchSharp's default generator, so seed it first.</summary>
    /// <exception cref="ArgumentException">The architecture is inconsistent.</exception>
    public TabularMlp(TabularMlpArchitecture a) : base(NativeModuleName.AfterLoading(nameof(TabularMlp)))
    {
        ArgumentNullException.ThrowIfNull(a);
        Validate(a);
        Architecture = a;

        // Layer initialisers leave temporaries; a scope frees them now. Parameters and buffers are detached to outlive it.
        using var scope = torch.NewDisposeScope();
        embeddings = new ModuleList<Embedding>([.. a.Cardinalities.Select(c => Embedding(c, TabularMlpArchitecture.EmbeddingWidth(c)))]);
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        long width = a.InputWidth;
        for (var i = 0; i < a.HiddenLayers; i++)
        {
            layers.Add(($"hidden{i}", Linear(width, a.HiddenWidth, hasBias: !a.BatchNorm)));
            if (a.BatchNorm) layers.Add(($"bn{i}", BatchNorm1d(a.HiddenWidth)));
            layers.Add(($"relu{i}", ReLU()));
            if (a.Dropout > 0) layers.Add(($"dropout{i}", Dropout(a.Dropout)));
            width = a.HiddenWidth;
        }
        layers.Add(("output", Linear(width, a.Outputs)));
        body = Sequential(layers);
        RegisterComponents();
        scope.Detach(parameters());
        scope.Detach(buffers());
    }

    /// <summary>The architecture this module was built from.</summary>
    public TabularMlpArchitecture Architecture { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor numeric, Tensor categorical)
    {
        var parts = new List<Tensor>(embeddings.Count + 1) { numeric };
        for (var k = 0; k < embeddings.Count; k++) parts.Add(embeddings[k].forward(categorical.select(1, k)));
        return body.forward(parts.Count == 1 ? numeric : torch.cat(parts, 1));
    }

    private static void Validate(TabularMlpArchitecture a)
    {
        if (a.NumericFeatures < 0 || a.Cardinalities.Any(c => c < 2))
            throw new ArgumentException("Numeric features must not be negative and every categorical input needs at least 2 rows.");
        if (a.InputWidth < 1) throw new ArgumentException("A tabular model needs at least one input.");
        if (a.Task == Training.PredictionTask.Classification && a.ClassCount < 2)
            throw new ArgumentException("Classification needs at least two classes.");
        if (a.HiddenLayers < 0 || a.HiddenWidth < 1) throw new ArgumentException("Hidden layers must not be negative and need at least one unit.");
        if (a.Dropout is < 0 or >= 1) throw new ArgumentException("Dropout must be in [0, 1).");
    }
}
