using AutoMLStudio.Engine.Backbones;
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
    /// the feature layers -> optional <c>gap</c> (global average pooling) -> <c>flatten</c> -> optional <c>dense</c>
    /// -> <c>dense_relu</c> -> <c>dropout</c> (also applied to the flattened features when there is no dense layer) ->
    /// <c>output</c>.
    /// <para>
    /// Plain blocks (the first space) are <c>conv{i}</c> (kernel k, padding k/2, no bias when batch norm follows) ->
    /// <c>bn{i}</c> -> <c>relu{i}</c> -> <c>pool{i}</c> (2x2 max), named as they always were so that stored weights load.
    /// Cell stages are modules <c>s{s}b{b}</c> per block and <c>s{s}down</c> per downsampling; which block gets a 1x1
    /// projection and which a residual connection is documented on <see cref="CnnLayerPlan"/> (and in docs/adr/0018-image-search-space-is-cell-based.md).
    /// </para>
    /// Initial weights come from TorchSharp's default generator: seed it first for repeatable builds.
    /// </summary>
    public static Module<Tensor, Tensor> Build(CnnArchitecture a)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.BackboneSpec() is { } backbone) return BackboneFactory.Build(backbone);
        Validate(a);
        TorchNative.EnsureLoaded();

        // TorchSharp's layer initialisers leave temporaries (one per biased conv in 0.107); building inside a scope
        // frees them now rather than at some garbage collection. Parameters and buffers are detached to outlive it.
        using var scope = torch.NewDisposeScope();
        var model = Sequential(CnnLayerPlan.For(a).Layers.Select(l => (l.Name, Create(l))));
        scope.Detach(model.parameters());
        scope.Detach(model.buffers());
        return model;
    }

    private static Module<Tensor, Tensor> Create(PlannedLayer layer) => layer switch
    {
        NormalizeLayer n => new Normalize(n.Mean, n.Std),
        ConvLayer c => Conv2d(c.In, c.Out, c.Kernel, stride: c.Stride, padding: c.Padding, dilation: c.Dilation, groups: c.Groups, bias: c.Bias),
        BatchNormLayer b => BatchNorm2d(b.Channels),
        ReluLayer => ReLU(),
        PoolLayer { Max: true } p => MaxPool2d(p.Kernel, p.Stride, p.Padding),
        PoolLayer p => AvgPool2d(p.Kernel, p.Stride, p.Padding),
        GlobalAvgPoolLayer => AdaptiveAvgPool2d(1),
        FlattenLayer => Flatten(),
        LinearLayer l => Linear(l.In, l.Out),
        DropoutLayer d => Dropout(d.Probability),
        BlockLayer { Residual: true } b => new Residual(Sequential(b.Layers.Select(l => (l.Name, Create(l))))),
        BlockLayer b => Sequential(b.Layers.Select(l => (l.Name, Create(l)))),
        _ => throw new ArgumentException($"No module for layer {layer.Name} ({layer.GetType().Name})."),
    };

    private static void Validate(CnnArchitecture a)
    {
        if (a.InputChannels < 1 || a.InputSize < 1 || a.ClassCount < 2)
            throw new ArgumentException("An architecture needs at least 1 input channel, an input size of 1 or more and 2 classes.");
        if (a.Mean.Length != a.InputChannels || a.Std.Length != a.InputChannels)
            throw new ArgumentException($"Mean and Std need one value per input channel ({a.InputChannels}).");
        if (a.Blocks.Any(b => b.Filters < 1 || b.Kernel < 1 || b.Kernel % 2 == 0))
            throw new ArgumentException("Every conv block needs at least one filter and an odd kernel size.");
        if (a.Blocks.Count > 0 && a.Stages.Count > 0)
            throw new ArgumentException("An architecture has either plain conv blocks or cell stages, not both.");
        if (a.Stages.Any(s => s.Width < 1 || s.Ops.Any(op => !CellOps.All.Contains(op)) || !(s.Downsample == "none" || CellOps.Downsamplings.Contains(s.Downsample))))
            throw new ArgumentException(
                $"Every stage needs a width of at least 1, operations from {string.Join(", ", CellOps.All)} and a downsampling of none, {string.Join(", ", CellOps.Downsamplings)}.");
        if (!CellOps.Heads.Contains(a.Head))
            throw new ArgumentException($"Unknown head '{a.Head}'. Valid heads: {string.Join(", ", CellOps.Heads)}.");
        if (a.FeatureMap().Size < 1)
            throw new ArgumentException($"Too many downsampling steps for an input of {a.InputSize} pixels.");
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

    /// <summary><c>x + body(x)</c>, for blocks whose output has their input's shape.</summary>
    private sealed class Residual : Module<Tensor, Tensor>
    {
        private readonly Module<Tensor, Tensor> body;

        public Residual(Module<Tensor, Tensor> body) : base("Residual")
        {
            this.body = body;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => input.add(body.forward(input), HeldScalars.One);
    }
}
