using AutoMLStudio.Engine.Native;
using TorchSharp;

namespace AutoMLStudio.Engine.Devices;

/// <summary>A device trials can run on.</summary>
/// <param name="Id">TorchSharp device string: "cpu" or "cuda:N".</param>
/// <param name="Name">Human-readable name.</param>
/// <param name="MemoryBytes">Memory available to the device (0 when unknown).</param>
/// <param name="Queue">Job queue serving it: "cpu" or "gpu-N".</param>
public sealed record ComputeDevice(string Id, string Name, long MemoryBytes, string Queue)
{
    public bool IsGpu => Queue != "cpu";
}

/// <summary>What a device has free now.</summary>
/// <param name="FreeMemoryBytes">Memory not in use by anyone (0 when unknown).</param>
/// <param name="UtilizationPercent">GPU: share of time a kernel ran; null where unknown (the CPU's is measured by the caller).</param>
public sealed record DeviceReading(long FreeMemoryBytes, int? UtilizationPercent);

/// <summary>Finds the CPU and any CUDA devices TorchSharp can use.</summary>
public static class DeviceDetector
{
    /// <summary>
    /// The CPU always (name from <c>/proc/cpuinfo</c>, memory from the GC's view of available memory), then one entry per
    /// CUDA device when the loaded libtorch has CUDA. TorchSharp exposes no CUDA device name or memory, so those come
    /// from the driver (<see cref="NvidiaGpus"/>), or are "CUDA device N" and 0 without it.
    /// </summary>
    public static IReadOnlyList<ComputeDevice> Detect()
    {
        var devices = new List<ComputeDevice>
        {
            new("cpu", CpuName(), GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, "cpu"),
        };

        try
        {
            TorchNative.EnsureLoaded();
            if (torch.cuda.is_available())
            {
                var gpus = NvidiaGpus.Read() ?? [];
                var visible = Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES");
                for (var i = 0; i < torch.cuda.device_count(); i++)
                {
                    var gpu = gpus.FirstOrDefault(g => g.Index == NvidiaGpus.NvmlIndexOf(i, visible));
                    devices.Add(new ComputeDevice($"cuda:{i}", gpu?.Name ?? $"CUDA device {i}", gpu?.TotalBytes ?? 0, $"gpu-{i}"));
                }
            }
        }
        catch (Exception e) when (e is DllNotFoundException or FileNotFoundException or TypeInitializationException or NotSupportedException)
        {
            // No usable libtorch: the CPU entry still lets the caller report the machine; training will say why it fails.
        }
        return devices;
    }

    /// <summary>
    /// Free memory and utilization of <paramref name="device"/> now: the driver's for a GPU, the kernel's available
    /// memory (<c>MemAvailable</c>) for the CPU.
    /// </summary>
    public static DeviceReading Read(ComputeDevice device)
    {
        if (!device.IsGpu) return new DeviceReading(AvailableMemoryBytes() ?? 0, null);
        var index = int.Parse(device.Id.AsSpan(device.Id.IndexOf(':') + 1), System.Globalization.CultureInfo.InvariantCulture);
        var nvml = NvidiaGpus.NvmlIndexOf(index, Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES"));
        var gpu = NvidiaGpus.Read()?.FirstOrDefault(g => g.Index == nvml);
        return new DeviceReading(gpu?.FreeBytes ?? 0, gpu?.UtilizationPercent);
    }

    private static long? AvailableMemoryBytes()
    {
        try
        {
            var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal)) : null;
            var kib = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var value, ..] && long.TryParse(value, out var k) ? k : (long?)null;
            return kib * 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// The TorchSharp device for an id such as "cpu" or "cuda:0". Loads the native library first: touching
    /// <c>torch.CPU</c> or <c>torch.device</c> before <see cref="TorchNative.EnsureLoaded"/> makes TorchSharp load its
    /// unpatched library, which fails on Debian 12.
    /// </summary>
    public static torch.Device Resolve(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        TorchNative.EnsureLoaded();
        return torch.device(id);
    }

    private static string CpuName()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                var name = line?[(line.IndexOf(':') + 1)..].Trim();
                if (!string.IsNullOrEmpty(name)) return name;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return $"CPU ({Environment.ProcessorCount} logical cores)";
    }
}
