using System.Diagnostics;
using AutoMLStudio.Engine.Devices;

namespace AutoMLStudio.Core.Devices;

/// <summary>The compute devices of this node, detected once; each is a job queue.</summary>
public sealed class StudioDevices
{
    private readonly Lazy<IReadOnlyList<ComputeDevice>> _devices = new(DeviceDetector.Detect);
    private readonly Lock _cpuSample = new();
    private (TimeSpan Cpu, long Ticks)? _lastSample;

    public IReadOnlyList<ComputeDevice> All => _devices.Value;

    /// <summary>New searches go to the first GPU where there is one, else to the CPU.</summary>
    public string DefaultQueue => All.FirstOrDefault(d => d.IsGpu)?.Queue ?? "cpu";

    public IReadOnlyList<string> Queues => All.Select(d => d.Queue).ToList();

    public string DeviceIdFor(string queue) => All.FirstOrDefault(d => d.Queue == queue)?.Id ?? "cpu";

    public TorchSharp.torch.Device TorchDeviceFor(string queue) => DeviceDetector.Resolve(DeviceIdFor(queue));

    /// <summary>This process's share of all cores since the previous call (null on the first), which is the studio's use of the CPU.</summary>
    public int? CpuUtilizationPercent()
    {
        using var process = Process.GetCurrentProcess();
        var now = (Cpu: process.TotalProcessorTime, Ticks: Stopwatch.GetTimestamp());
        lock (_cpuSample)
        {
            var last = _lastSample;
            _lastSample = now;
            if (last is not { } before) return null;
            var wall = Stopwatch.GetElapsedTime(before.Ticks, now.Ticks).TotalMilliseconds * Environment.ProcessorCount;
            return wall <= 0 ? null : (int)Math.Clamp(Math.Round((now.Cpu - before.Cpu).TotalMilliseconds / wall * 100), 0, 100);
        }
    }
}
