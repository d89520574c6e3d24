namespace AutoMLStudio.Engine.Spaces;

/// <summary>One convolution block: conv (same padding) -> optional batch norm -> ReLU -> optional 2x2 max pool.</summary>
/// <param name="Filters">Output channels.</param>
/// <param name="Kernel">Odd kernel side (3 or 5); padding is <c>Kernel / 2</c> so the spatial size is kept.</param>
/// <param name="BatchNorm">Batch norm after the conv (the conv then has no bias).</param>
/// <param name="Pool">2x2 max pool with stride 2 at the end of the block (floors odd sizes).</param>
public sealed record ConvBlockSpec(int Filters, int Kernel, bool BatchNorm, bool Pool);

/// <summary>
/// A small image CNN. Normalisation with <paramref name="Mean"/> / <paramref name="Std"/> (per channel) is part of
/// the model, so it takes raw pixels in [0, 1].
/// </summary>
/// <param name="InputChannels">1 (grayscale) or 3 (RGB).</param>
/// <param name="InputSize">Side of the square input.</param>
/// <param name="ClassCount">Number of output logits.</param>
/// <param name="Blocks">Convolution blocks, in order.</param>
/// <param name="DenseUnits">Hidden units of the dense layer; 0 means none.</param>
/// <param name="Dropout">Dropout probability before the output layer.</param>
/// <param name="Mean">Per-channel mean subtracted inside the model.</param>
/// <param name="Std">Per-channel standard deviation divided by inside the model.</param>
public sealed record CnnArchitecture(
    int InputChannels,
    int InputSize,
    int ClassCount,
    IReadOnlyList<ConvBlockSpec> Blocks,
    int DenseUnits,
    double Dropout,
    float[] Mean,
    float[] Std)
{
    /// <summary>Channels and side of the last block's output (the flattened feature map).</summary>
    public (int Channels, int Size) FeatureMap()
    {
        var channels = InputChannels;
        var size = InputSize;
        foreach (var block in Blocks)
        {
            channels = block.Filters;
            if (block.Pool) size /= 2;
        }
        return (channels, size);
    }

    /// <summary>Number of features entering the dense head after flattening.</summary>
    public int FlattenedFeatures
    {
        get
        {
            var (channels, size) = FeatureMap();
            return channels * size * size;
        }
    }
}

/// <summary>How a trial trains.</summary>
/// <param name="Optimizer">"adam" or "sgd" (SGD uses momentum 0.9).</param>
/// <param name="LearningRate">Learning rate.</param>
/// <param name="WeightDecay">L2 weight decay (0 for none).</param>
/// <param name="BatchSize">Mini-batch size.</param>
/// <param name="Epochs">Epochs to train.</param>
public sealed record TrainingSettings(string Optimizer, double LearningRate, double WeightDecay, int BatchSize, int Epochs);

/// <summary>Everything a trial needs to be reproduced: the architecture and the training settings.</summary>
public sealed record TrialConfig(CnnArchitecture Architecture, TrainingSettings Training);

/// <summary>What the search space needs to know about the data and the budget.</summary>
public sealed record SearchSpaceContext(int InputChannels, int InputSize, int ClassCount, float[] Mean, float[] Std, int MaxEpochs);
