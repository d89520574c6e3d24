using AutoMLStudio.Engine.Native;
using AutoMLStudio.Engine.Spaces;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AutoMLStudio.Engine.Models;

/// <summary>Builds TorchSharp modules for <see cref="CnnArchitecture"/>s.</summary>
public static class CnnModelFactory
{
    /// <summary>
    /// A sequential module returning logits: <c>normalize</c> (buffers <c>mean</c>/<c>std</c>, shape [1, C, 1, 1]) ->
    /// per block <c>conv{i}</c> (kernel k, padding k/2, no bias when batch norm follows) -> <c>bn{i}</c> -> <c>relu{i}</c>
    /// -> <c>pool{i}</c> (2x2 max) -> <c>flatten</c> -> optional <c>dense</c> -> <c>dense_relu</c> -> <c>dropout</c>
    /// (also applied to the flattened features when there is no dense layer) -> <c>output</c>.
    /// The head flattens the last feature map (not global average pooling): it keeps where a pattern is, which small
    /// images such as Fashion-MNIST reward, and <see cref="CnnSearchSpace.Sample"/> keeps that map at most 8x8 so
    /// the head stays small. Initial weights come from TorchSharp's default generator: seed it first for repeatable builds.
    /// </summary>
    public static Module<Tensor, Tensor> Build(CnnArchitecture a)
    {
        ArgumentNullException.ThrowIfNull(a);
        Validate(a);
        TorchNative.EnsureLoaded();

        // TorchSharp's layer initialisers leave temporaries (one per biased conv in 0.107); building inside a scope
        // frees them now rather than at some garbage collection. Parameters and buffers are detached to outlive it.
        using var scope = torch.NewDisposeScope();
        var layers = new List<(string, Module<Tensor, Tensor>)> { ("normalize", new Normalize(a.Mean, a.Std)) };
        long channels = a.InputChannels;
        for (var i = 0; i < a.Blocks.Count; i++)
        {
            var block = a.Blocks[i];
            layers.Add(($"conv{i}", Conv2d(channels, block.Filters, block.Kernel, padding: block.Kernel / 2, bias: !block.BatchNorm)));
            if (block.BatchNorm) layers.Add(($"bn{i}", BatchNorm2d(block.Filters)));
            layers.Add(($"relu{i}", ReLU()));
            if (block.Pool) layers.Add(($"pool{i}", MaxPool2d(2, 2)));
            channels = block.Filters;
        }

        layers.Add(("flatten", Flatten()));
        long features = a.FlattenedFeatures;
        if (a.DenseUnits > 0)
        {
            layers.Add(("dense", Linear(features, a.DenseUnits)));
            layers.Add(("dense_relu", ReLU()));
            features = a.DenseUnits;
        }
        if (a.Dropout > 0) layers.Add(("dropout", Dropout(a.Dropout)));
        layers.Add(("output", Linear(features, a.ClassCount)));
        var model = Sequential(layers);
        scope.Detach(model.parameters());
        scope.Detach(model.buffers());
        return model;
    }

    private static void Validate(CnnArchitecture a)
    {
        if (a.InputChannels < 1 || a.InputSize < 1 || a.ClassCount < 2)
            throw new ArgumentException("An architecture needs at least 1 input channel, an input size of 1 or more and 2 classes.");
        if (a.Mean.Length != a.InputChannels || a.Std.Length != a.InputChannels)
            throw new ArgumentException($"Mean and Std need one value per input channel ({a.InputChannels}).");
        if (a.Blocks.Any(b => b.Filters < 1 || b.Kernel < 1 || b.Kernel % 2 == 0))
            throw new ArgumentException("Every conv block needs at least one filter and an odd kernel size.");
        if (a.FeatureMap().Size < 1)
            throw new ArgumentException($"Too many pooling blocks for an input of {a.InputSize} pixels.");
        if (a.Dropout is < 0 or >= 1)
            throw new ArgumentException("Dropout must be in [0, 1).");
    }

    /// <summary>Per-channel <c>(x - mean) / std</c> with mean and std stored as buffers, so they travel with the weights.</summary>
    private sealed class Normalize : Module<Tensor, Tensor>
    {
        public Normalize(float[] mean, float[] std) : base("Normalize")
        {
            register_buffer("mean", tensor(mean, [1, mean.Length, 1, 1]));
            register_buffer("std", tensor(std, [1, std.Length, 1, 1]));
        }

        public override Tensor forward(Tensor input) =>
            (input - get_buffer("mean")!).div_(get_buffer("std")!);
    }
}
