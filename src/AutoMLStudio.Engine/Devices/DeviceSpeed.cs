using System.Collections.Concurrent;
using System.Diagnostics;
using AutoMLStudio.Engine.Native;
using TorchSharp;

namespace AutoMLStudio.Engine.Devices;

/// <summary>
/// How fast a device multiplies matrices, measured once per process and device on a small matrix product and cached:
/// the cost model's divisor before a search has timed its own epochs.
/// </summary>
public static class DeviceSpeed
{
    private static readonly ConcurrentDictionary<string, double> Measured = new();

    /// <summary>Floating-point operations per second on <paramref name="device"/> (about 30 ms of measuring the first time).</summary>
    public static double FlopsPerSecond(torch.Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return Measured.GetOrAdd(device.ToString(), _ => Measure(device));
    }

    private static double Measure(torch.Device device)
    {
        TorchNative.EnsureLoaded();
        const int n = 192, runs = 8;
        using var scope = torch.NewDisposeScope();
        var a = torch.rand(n, n, device: device);
        var b = torch.rand(n, n, device: device);
        torch.mm(a, b).Dispose(); // warm-up: the first product pays for allocation
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++)
        {
            using var c = torch.mm(a, b);
            if (i == runs - 1) c.sum().item<float>();
        }
        var seconds = Math.Max(1e-6, watch.Elapsed.TotalSeconds);
        return 2.0 * n * n * n * runs / seconds;
    }
}
