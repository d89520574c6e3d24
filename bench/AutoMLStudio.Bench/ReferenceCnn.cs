using AutoMLStudio.Engine.Data;
using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Bench;

/// <summary>
/// The published 2-conv Fashion-MNIST CNN (conv 32 3x3, pool, conv 64 3x3, pool, dense 128, 10 outputs) in the
/// product's space; its convolutions keep the size ("same" padding), so it has 421,642 parameters, not 113K.
/// </summary>
public static class ReferenceCnn
{
    public static TrialConfig Config(ImageTensorData data, int batchSize, int epochs)
    {
        var (mean, std) = data.ChannelStatistics();
        var architecture = new CnnArchitecture(data.Channels, data.Size, 10,
            [new ConvBlockSpec(32, 3, BatchNorm: false, Pool: true), new ConvBlockSpec(64, 3, BatchNorm: false, Pool: true)],
            DenseUnits: 128, Dropout: 0, mean, std);
        return new TrialConfig(architecture, new TrainingSettings("adam", 1e-3, 0, batchSize, epochs));
    }

    /// <summary>The last <paramref name="validation"/> images validate; the rest train.</summary>
    public static (ImageTensorData Train, ImageTensorData Validation) Split(ImageTensorData data, int validation)
    {
        validation = Math.Clamp(validation, 1, data.Count - 1);
        var train = data.Count - validation;
        return (data.Subset(Enumerable.Range(0, train).ToArray()), data.Subset(Enumerable.Range(train, validation).ToArray()));
    }
}
