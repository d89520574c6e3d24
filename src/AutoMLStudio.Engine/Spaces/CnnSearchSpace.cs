namespace AutoMLStudio.Engine.Spaces;

/// <summary>The space of small image CNNs and their training settings, with analytic cost models.</summary>
public static class CnnSearchSpace
{
    /// <summary>The last feature map is pooled down to at most this side, so the dense head stays small.</summary>
    public const int MaxFinalFeatureSize = 8;

    private static readonly int[] FilterChoices = [8, 16, 32, 64];
    private static readonly int[] DenseChoices = [0, 32, 64, 128];
    private static readonly int[] BatchChoices = [32, 64, 128];

    /// <summary>
    /// Draws one configuration: 1 to 3 conv blocks (filters 8/16/32/64, kernel 3 or 5, batch norm or not), a 2x2 pool
    /// where the map is at least 4 wide, and always where it is needed to end at most
    /// <see cref="MaxFinalFeatureSize"/> wide (so large inputs get enough blocks); dense 0/32/64/128; dropout 0 to 0.5
    /// in steps of 0.05; Adam (lr log-uniform 3e-4..3e-3) or SGD (1e-2..1e-1); weight decay 0 or log-uniform
    /// 1e-5..1e-3; batch 32/64/128; epochs = <see cref="SearchSpaceContext.MaxEpochs"/>.
    /// </summary>
    public static TrialConfig Sample(Random rng, SearchSpaceContext ctx)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(ctx);

        var minBlocks = 1;
        while (minBlocks < 3 && ctx.InputSize >> minBlocks > MaxFinalFeatureSize) minBlocks++;
        var blockCount = rng.Next(minBlocks, 4);

        var blocks = new List<ConvBlockSpec>(blockCount);
        var size = ctx.InputSize;
        for (var i = 0; i < blockCount; i++)
        {
            var filters = FilterChoices[rng.Next(FilterChoices.Length)];
            var kernel = rng.Next(2) == 0 ? 3 : 5;
            var batchNorm = rng.Next(2) == 0;
            var remainingAfter = blockCount - i - 1;
            var mustPool = size >> remainingAfter > MaxFinalFeatureSize;
            var wantsPool = rng.NextDouble() < 0.6;
            var pool = size >= 4 && (mustPool || wantsPool);
            if (pool) size /= 2;
            blocks.Add(new ConvBlockSpec(filters, kernel, batchNorm, pool));
        }

        var dense = DenseChoices[rng.Next(DenseChoices.Length)];
        var dropout = Math.Round(rng.Next(0, 11) * 0.05, 2);

        var adam = rng.Next(2) == 0;
        var lr = adam ? LogUniform(rng, 3e-4, 3e-3) : LogUniform(rng, 1e-2, 1e-1);
        var weightDecay = rng.Next(2) == 0 ? 0.0 : LogUniform(rng, 1e-5, 1e-3);
        var batch = BatchChoices[rng.Next(BatchChoices.Length)];

        var architecture = new CnnArchitecture(ctx.InputChannels, ctx.InputSize, ctx.ClassCount, blocks, dense, dropout,
            (float[])ctx.Mean.Clone(), (float[])ctx.Std.Clone());
        return new TrialConfig(architecture, new TrainingSettings(adam ? "adam" : "sgd", lr, weightDecay, batch, ctx.MaxEpochs));
    }

    /// <summary>
    /// Trainable parameters, counted analytically; equals the parameter count of the module
    /// <see cref="Models.CnnModelFactory.Build"/> returns (normalisation and batch-norm running statistics are
    /// buffers, not parameters). Conv: <c>in * out * k * k</c> (+ <c>out</c> bias when there is no batch norm);
    /// batch norm: <c>2 * out</c>; linear: <c>in * out + out</c>.
    /// </summary>
    public static long CountParameters(CnnArchitecture a)
    {
        ArgumentNullException.ThrowIfNull(a);
        long total = 0;
        long channels = a.InputChannels;
        foreach (var block in a.Blocks)
        {
            total += channels * block.Filters * block.Kernel * block.Kernel;
            total += block.BatchNorm ? 2L * block.Filters : block.Filters;
            channels = block.Filters;
        }
        long features = a.FlattenedFeatures;
        if (a.DenseUnits > 0)
        {
            total += features * a.DenseUnits + a.DenseUnits;
            features = a.DenseUnits;
        }
        total += features * a.ClassCount + a.ClassCount;
        return total;
    }

    /// <summary>
    /// Multiply-accumulate operations (MACs) of one image (batch 1) through the convolutions and linear layers:
    /// conv <c>out * H * W * in * k * k</c> at the conv's (unpooled, same-padded) output size, linear <c>in * out</c>.
    /// Biases, normalisation, batch norm, ReLU, pooling and dropout are not counted; one MAC counts as one FLOP here
    /// (multiply by 2 for the "2 FLOPs per MAC" convention).
    /// </summary>
    public static long CountFlops(CnnArchitecture a)
    {
        ArgumentNullException.ThrowIfNull(a);
        long total = 0;
        long channels = a.InputChannels;
        long size = a.InputSize;
        foreach (var block in a.Blocks)
        {
            total += block.Filters * size * size * channels * block.Kernel * block.Kernel;
            channels = block.Filters;
            if (block.Pool) size /= 2;
        }
        long features = a.FlattenedFeatures;
        if (a.DenseUnits > 0)
        {
            total += features * a.DenseUnits;
            features = a.DenseUnits;
        }
        total += features * a.ClassCount;
        return total;
    }

    private static double LogUniform(Random rng, double low, double high) =>
        Math.Exp(Math.Log(low) + rng.NextDouble() * (Math.Log(high) - Math.Log(low)));
}
