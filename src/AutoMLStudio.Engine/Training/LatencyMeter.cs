using System.Diagnostics;
using AutoMLStudio.Engine.Models;
using AutoMLStudio.Engine.Native;
using AutoMLStudio.Engine.Spaces;
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

    private static double Median(nn.Module<Tensor, Tensor> model, CnnArchitecture architecture, Device device, int warmUps, int runs)
    {
        model.to(device);
        model.eval();

        var timings = new double[runs];
        using var noGrad = torch.no_grad();
        using var input = torch.rand(1, architecture.InputChannels, architecture.InputSize, architecture.InputSize, device: device);
        for (var n = -warmUps; n < runs; n++)
        {
            using var scope = torch.NewDisposeScope();
            var clock = Stopwatch.StartNew();
            var output = model.forward(input);
            if (device.type == DeviceType.CUDA) torch.cuda.synchronize(device);
            _ = output.data<float>()[0];
            if (n >= 0) timings[n] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(timings);
        return timings[runs / 2];
    }
}
