using System.Diagnostics;
using AutoMLStudio.Engine.Models;
using AutoMLStudio.Engine.Native;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Training;

/// <summary>Measures how long one prediction takes: batch size 1, on the device the model will serve from.</summary>
public static class LatencyMeter
{
    /// <summary>
    /// Median milliseconds of one forward pass at batch size 1 over <paramref name="runs"/> timed passes, after a few
    /// untimed ones that let the allocator and kernels settle.
    /// </summary>
    public static double MedianMilliseconds(CnnArchitecture architecture, string weightsPath, Device device, int runs = 30)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        TorchNative.EnsureLoaded();
        using var model = CnnModelFactory.Build(architecture);
        model.load(weightsPath);
        return Median(model, architecture, device, warmUps: 5, runs);
    }

    /// <summary>
    /// The same measure for a candidate that has not trained: the time a forward pass takes depends on the architecture,
    /// not on the values of its weights, so its initial random weights serve to check a latency limit before training.
    /// Fewer passes than <see cref="MedianMilliseconds(CnnArchitecture, string, Device, int)"/>, as it runs for every candidate.
    /// </summary>
    public static double MedianMillisecondsUntrained(CnnArchitecture architecture, Device device, int runs = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        TorchNative.EnsureLoaded();
        using var model = CnnModelFactory.Build(architecture);
        return Median(model, architecture, device, warmUps: 3, runs);
    }

    /// <summary>One untrained tabular MLP's prediction for a row (numbers at their mean, every category "missing").</summary>
    public static double MedianMillisecondsUntrained(TabularMlpArchitecture architecture, Device device, int runs = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        TorchNative.EnsureLoaded();
        using var model = new TabularMlp(architecture);
        using var numeric = torch.zeros(1, architecture.NumericFeatures, device: device);
        using var categorical = torch.zeros(1, architecture.Cardinalities.Count, torch.int64, device: device);
        return Median(model, () => model.forward(numeric, categorical), device, warmUps: 3, runs);
    }

    /// <summary>One untrained text classifier's prediction for a text of the longest length it reads (the slowest case).</summary>
    public static double MedianMillisecondsUntrained(TextClassifierArchitecture architecture, Device device, int runs = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        TorchNative.EnsureLoaded();
        using var model = new TextClassifier(architecture);
        // Word ids from 2 on: 0 and 1 are padding and unknown words, which a real text mostly is not.
        using var ids = torch.randint(2, Math.Max(3, architecture.VocabularySize), [1, architecture.MaxLength], torch.int64, device: device);
        return Median(model, () => model.forward(ids), device, warmUps: 3, runs);
    }

    private static double Median(nn.Module<Tensor, Tensor> model, CnnArchitecture architecture, Device device, int warmUps, int runs)
    {
        using var input = torch.rand(1, architecture.InputChannels, architecture.InputSize, architecture.InputSize, device: device);
        return Median(model, () => model.forward(input), device, warmUps, runs);
    }

    /// <summary>Median milliseconds of <paramref name="predict"/> by <paramref name="model"/> in evaluation mode, after <paramref name="warmUps"/> untimed runs.</summary>
    internal static double Median(nn.Module model, Func<Tensor> predict, Device device, int warmUps, int runs)
    {
        model.to(device);
        model.eval();

        var timings = new double[runs];
        using var noGrad = torch.no_grad();
        for (var n = -warmUps; n < runs; n++)
        {
            using var scope = torch.NewDisposeScope();
            var clock = Stopwatch.StartNew();
            var output = predict();
            if (device.type == DeviceType.CUDA) torch.cuda.synchronize(device);
            _ = output.data<float>()[0];
            if (n >= 0) timings[n] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(timings);
        return timings[runs / 2];
    }
}
