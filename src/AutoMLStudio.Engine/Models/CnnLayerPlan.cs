using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Engine.Models;

/// <summary>
/// A <see cref="CnnArchitecture"/> laid out as the layers <see cref="CnnModelFactory"/> builds, with the shapes known.
/// The factory builds from it and the cost models count over it, so the two can never describe different networks;
/// each layer's own counts are the closed-form formulas (the tests compare them with the built modules).
/// </summary>
internal sealed record CnnLayerPlan(IReadOnlyList<PlannedLayer> Layers, int Channels, int Size)
{
    /// <summary>Trainable parameters of every layer.</summary>
    public long Parameters => Layers.Sum(l => l.Parameters);

    /// <summary>Multiply-accumulates of one image through every layer.</summary>
    public long Macs => Layers.Sum(l => l.Macs);

    /// <summary>Values the convolutions and linear layers produce for one image.</summary>
    public long OutputElements => Layers.Sum(l => l.OutputElements);

    /// <summary>The whole network: normalisation, feature layers, head.</summary>
    public static CnnLayerPlan For(CnnArchitecture a)
    {
        var features = Features(a);
        var layers = new List<PlannedLayer> { new NormalizeLayer("normalize", a.Mean, a.Std) };
        layers.AddRange(features.Layers);
        if (a.Head == "gap") layers.Add(new GlobalAvgPoolLayer("gap"));
        layers.Add(new FlattenLayer("flatten"));
        long width = a.FlattenedFeatures;
        if (a.DenseUnits > 0)
        {
            layers.Add(new LinearLayer("dense", width, a.DenseUnits));
            layers.Add(new ReluLayer("dense_relu"));
            width = a.DenseUnits;
        }
        if (a.Dropout > 0) layers.Add(new DropoutLayer("dropout", a.Dropout));
        layers.Add(new LinearLayer("output", width, a.ClassCount));
        return features with { Layers = layers };
    }

    /// <summary>Channels and side of the last feature map.</summary>
    public static (int Channels, int Size) FeatureMap(CnnArchitecture a)
    {
        var features = Features(a);
        return (features.Channels, features.Size);
    }

    private static CnnLayerPlan Features(CnnArchitecture a) => a.Stages.Count > 0 ? CellFeatures(a) : PlainFeatures(a);

    // The first space's layer names (conv0, bn0, relu0, pool0, ...) are kept, so weights saved then still load.
    private static CnnLayerPlan PlainFeatures(CnnArchitecture a)
    {
        var layers = new List<PlannedLayer>();
        var channels = a.InputChannels;
        var size = a.InputSize;
        for (var i = 0; i < a.Blocks.Count; i++)
        {
            var block = a.Blocks[i];
            layers.Add(ConvLayer.Same($"conv{i}", channels, block.Filters, block.Kernel, bias: !block.BatchNorm, size));
            if (block.BatchNorm) layers.Add(new BatchNormLayer($"bn{i}", block.Filters));
            layers.Add(new ReluLayer($"relu{i}"));
            if (block.Pool)
            {
                layers.Add(new PoolLayer($"pool{i}", Max: true, Kernel: 2, Stride: 2, Padding: 0));
                size /= 2;
            }
            channels = block.Filters;
        }
        return new CnnLayerPlan(layers, channels, size);
    }

    /// <summary>
    /// Stage <c>s</c>, block <c>b</c> is module <c>s{s}b{b}</c>. Channel changes: a convolution op maps the block's
    /// input channels to the stage width itself; a parameter-free op (identity, pooling) cannot, so when the channels
    /// differ a 1x1 projection (<c>proj</c>: conv, batch norm when on, ReLU) comes first. Residual rule: an op whose
    /// output has its input's shape (same channels; every op keeps the size) is wrapped as <c>x + op(x)</c>; so are
    /// pooling ops; identity is no layer at all, and the first convolution of a stage that changes width has none.
    /// </summary>
    private static CnnLayerPlan CellFeatures(CnnArchitecture a)
    {
        var layers = new List<PlannedLayer>();
        var channels = a.InputChannels;
        var size = a.InputSize;
        for (var s = 0; s < a.Stages.Count; s++)
        {
            var stage = a.Stages[s];
            for (var b = 0; b < stage.Ops.Count; b++)
            {
                var op = stage.Ops[b];
                var parts = new List<PlannedLayer>();
                if (channels != stage.Width && !CellOps.IsConvolution(op))
                {
                    parts.Add(new BlockLayer("proj", ConvUnit(channels, stage.Width, 1, 1, 0, 1, 1, a.BatchNorm, size), Residual: false));
                    channels = stage.Width;
                }
                var body = OpLayers(op, channels, stage.Width, size, a.BatchNorm);
                if (body.Count > 0) parts.Add(new BlockLayer("op", body, Residual: channels == stage.Width));
                channels = stage.Width;
                if (parts.Count > 0) layers.Add(new BlockLayer($"s{s + 1}b{b + 1}", parts, Residual: false));
            }

            switch (stage.Downsample)
            {
                case "max" or "avg":
                    layers.Add(new PoolLayer($"s{s + 1}down", Max: stage.Downsample == "max", Kernel: 2, Stride: 2, Padding: 0));
                    size /= 2;
                    break;
                case "stride":
                    size = (size - 1) / 2 + 1;
                    layers.Add(new BlockLayer($"s{s + 1}down", ConvUnit(channels, channels, 3, 2, 1, 1, 1, a.BatchNorm, size), Residual: false));
                    break;
            }
        }
        return new CnnLayerPlan(layers, channels, size);
    }

    private static List<PlannedLayer> OpLayers(string op, int input, int width, int size, bool batchNorm) => op switch
    {
        CellOps.Conv3 => ConvUnit(input, width, 3, 1, 1, 1, 1, batchNorm, size),
        CellOps.Conv5 => ConvUnit(input, width, 5, 1, 2, 1, 1, batchNorm, size),
        CellOps.DilConv3 => ConvUnit(input, width, 3, 1, 2, 2, 1, batchNorm, size),
        CellOps.SepConv3 or CellOps.SepConv5 => SeparableUnit(input, width, op == CellOps.SepConv3 ? 3 : 5, batchNorm, size),
        CellOps.MaxPool3 => [new PoolLayer("pool", Max: true, Kernel: 3, Stride: 1, Padding: 1)],
        CellOps.AvgPool3 => [new PoolLayer("pool", Max: false, Kernel: 3, Stride: 1, Padding: 1)],
        CellOps.Identity => [],
        _ => throw new ArgumentException($"Unknown block operation '{op}'. Valid operations: {string.Join(", ", CellOps.All)}."),
    };

    // conv -> batch norm (when on; the conv then has no bias) -> ReLU.
    private static List<PlannedLayer> ConvUnit(int input, int output, int kernel, int stride, int padding, int dilation, int groups, bool batchNorm, int outSize)
    {
        var layers = new List<PlannedLayer> { new ConvLayer("conv", input, output, kernel, stride, padding, dilation, groups, !batchNorm, outSize) };
        if (batchNorm) layers.Add(new BatchNormLayer("bn", output));
        layers.Add(new ReluLayer("relu"));
        return layers;
    }

    // Depthwise k x k (one filter per input channel, no bias) -> pointwise 1x1 to the width -> batch norm -> ReLU.
    private static List<PlannedLayer> SeparableUnit(int input, int width, int kernel, bool batchNorm, int size)
    {
        var layers = new List<PlannedLayer> { new ConvLayer("depthwise", input, input, kernel, 1, kernel / 2, 1, input, Bias: false, size) };
        var pointwise = ConvUnit(input, width, 1, 1, 0, 1, 1, batchNorm, size);
        pointwise[0] = ((ConvLayer)pointwise[0]) with { Name = "pointwise" };
        layers.AddRange(pointwise);
        return layers;
    }
}

/// <summary>One named layer of a <see cref="CnnLayerPlan"/>.</summary>
internal abstract record PlannedLayer(string Name)
{
    /// <summary>Trainable parameters (0 unless overridden).</summary>
    public virtual long Parameters => 0;

    /// <summary>
    /// Multiply-accumulates of one image (0 unless overridden): only convolutions and linear layers count; biases,
    /// normalisation, batch norm, ReLU, pooling and dropout are cheap next to them and are left out.
    /// </summary>
    public virtual long Macs => 0;

    /// <summary>Values one image produces here, for memory estimates (convolutions and linear layers only).</summary>
    public virtual long OutputElements => 0;
}

/// <summary>A 2-D convolution; <see cref="OutSize"/> is the side of its output.</summary>
internal sealed record ConvLayer(string Name, int In, int Out, int Kernel, int Stride, int Padding, int Dilation, int Groups, bool Bias, int OutSize)
    : PlannedLayer(Name)
{
    /// <summary>A stride-1 convolution with padding <c>kernel / 2</c>, which keeps the size.</summary>
    public static ConvLayer Same(string name, int input, int output, int kernel, bool bias, int size) =>
        new(name, input, output, kernel, 1, kernel / 2, 1, 1, bias, size);

    /// <summary>Each output channel sees <c>In / Groups</c> input channels through a k x k kernel (dilation adds no weights).</summary>
    public override long Parameters => (long)Out * (In / Groups) * Kernel * Kernel + (Bias ? Out : 0);

    /// <summary>One MAC per weight per output position.</summary>
    public override long Macs => (long)Out * (In / Groups) * Kernel * Kernel * OutSize * OutSize;

    public override long OutputElements => (long)Out * OutSize * OutSize;
}

/// <summary>Batch norm: a scale and a shift per channel (running statistics are buffers).</summary>
internal sealed record BatchNormLayer(string Name, int Channels) : PlannedLayer(Name)
{
    public override long Parameters => 2L * Channels;
}

internal sealed record ReluLayer(string Name) : PlannedLayer(Name);

internal sealed record PoolLayer(string Name, bool Max, int Kernel, int Stride, int Padding) : PlannedLayer(Name);

internal sealed record GlobalAvgPoolLayer(string Name) : PlannedLayer(Name);

internal sealed record FlattenLayer(string Name) : PlannedLayer(Name);

internal sealed record DropoutLayer(string Name, double Probability) : PlannedLayer(Name);

internal sealed record NormalizeLayer(string Name, float[] Mean, float[] Std) : PlannedLayer(Name);

internal sealed record LinearLayer(string Name, long In, int Out) : PlannedLayer(Name)
{
    public override long Parameters => In * Out + Out;

    public override long Macs => In * Out;

    public override long OutputElements => Out;
}

/// <summary>Layers run in order, as one named module; with <see cref="Residual"/> the block's input is added to its output.</summary>
internal sealed record BlockLayer(string Name, IReadOnlyList<PlannedLayer> Layers, bool Residual) : PlannedLayer(Name)
{
    public override long Parameters => Layers.Sum(l => l.Parameters);

    public override long Macs => Layers.Sum(l => l.Macs);

    public override long OutputElements => Layers.Sum(l => l.OutputElements);
}
