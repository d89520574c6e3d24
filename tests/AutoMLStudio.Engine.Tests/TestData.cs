using AutoMLStudio.Engine.Data;
using AutoMLStudio.Engine.Devices;
using TorchSharp;
using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Engine.Tests;

/// <summary>Small, separable generated image sets and architectures for tests.</summary>
internal static class TestData
{
    public const int Classes = 3;

    /// <summary>The CPU device, resolved through the Engine so the patched native library loads before TorchSharp's own.</summary>
    public static torch.Device Cpu => DeviceDetector.Resolve("cpu");

    /// <summary>Class 0 horizontal stripes, 1 vertical stripes, 2 checkerboard; random phase, contrast and noise.</summary>
    public static ImageTensorData Stripes(int count, int size, int seed)
    {
        var rng = new Random(seed);
        var pixels = new float[count * size * size];
        var labels = new int[count];
        for (var n = 0; n < count; n++)
        {
            var label = n % Classes;
            labels[n] = label;
            var period = rng.Next(2, 5);
            var phase = rng.Next(period * 2);
            var low = (float)(rng.NextDouble() * 0.3);
            var high = (float)(0.7 + rng.NextDouble() * 0.3);
            for (var y = 0; y < size; y++)
            {
                for (var x = 0; x < size; x++)
                {
                    var on = label switch
                    {
                        0 => (y + phase) / period % 2 == 0,
                        1 => (x + phase) / period % 2 == 0,
                        _ => ((x + phase) / period + (y + phase) / period) % 2 == 0,
                    };
                    var noise = (float)(rng.NextDouble() - 0.5) * 0.3f;
                    pixels[n * size * size + y * size + x] = Math.Clamp((on ? high : low) + noise, 0f, 1f);
                }
            }
        }
        return new ImageTensorData(pixels, labels, 1, size);
    }

    public static CnnArchitecture SmallCnn(int size = 16, bool batchNorm = true) => new(
        InputChannels: 1,
        InputSize: size,
        ClassCount: Classes,
        Blocks: [new ConvBlockSpec(8, 3, batchNorm, Pool: true), new ConvBlockSpec(16, 3, BatchNorm: false, Pool: true)],
        DenseUnits: 32,
        Dropout: 0.1,
        Mean: [0.5f],
        Std: [0.3f]);

    public static TrialConfig SmallTrial(int epochs, string optimizer = "adam", double learningRate = 3e-3,
        AugmentationSettings? augmentation = null, string schedule = "constant", double labelSmoothing = 0) =>
        new(SmallCnn(), new TrainingSettings(optimizer, learningRate, WeightDecay: 1e-4, BatchSize: 32, Epochs: epochs, schedule, labelSmoothing, augmentation));

    /// <summary>Every augmentation on: flips, 2-pixel crops, erasing at 0.5.</summary>
    public static AugmentationSettings AllAugmentations { get; } = new(HorizontalFlip: true, CropPadding: 2, ErasingProbability: 0.5);

    public static string TempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "automlstudio-engine-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
