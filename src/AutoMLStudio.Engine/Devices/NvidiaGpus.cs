using System.Runtime.InteropServices;
using System.Text;

namespace AutoMLStudio.Engine.Devices;

/// <summary>One NVIDIA GPU as the driver reports it now.</summary>
/// <param name="Index">NVML's index (PCI bus order).</param>
/// <param name="UtilizationPercent">Share of the last sample period a kernel ran; null where the driver does not say.</param>
public sealed record GpuReading(int Index, string Name, long TotalBytes, long FreeBytes, int? UtilizationPercent);

/// <summary>
/// Names, memory and utilization of the NVIDIA GPUs through NVML (<c>libnvidia-ml.so.1</c>, installed with the driver).
/// TorchSharp only says how many CUDA devices there are; placing a trial by memory needs the rest. Every call is
/// looked up by name so that a machine without the driver loads this class and simply gets no readings.
/// </summary>
public static class NvidiaGpus
{
    private const int Success = 0;
    private const int NameBufferSize = 96; // NVML_DEVICE_NAME_V2_BUFFER_SIZE

    [StructLayout(LayoutKind.Sequential)]
    private struct Memory { public ulong Total, Free, Used; }

    [StructLayout(LayoutKind.Sequential)]
    private struct Utilization { public uint Gpu, Memory; }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int InitFn();
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int CountFn(out uint count);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int HandleFn(uint index, out IntPtr device);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int NameFn(IntPtr device, byte[] name, uint length);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int MemoryFn(IntPtr device, out Memory memory);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int UtilizationFn(IntPtr device, out Utilization utilization);

    private sealed record Api(CountFn Count, HandleFn Handle, NameFn Name, MemoryFn Memory, UtilizationFn? Utilization);

    // NVML is initialised once per process and never shut down: its reference count would otherwise have to be
    // balanced across every caller, and the driver frees it at exit anyway.
    private static readonly Lazy<Api?> Loaded = new(Load);

    /// <summary>Every GPU the driver sees, or null without the NVIDIA driver.</summary>
    public static IReadOnlyList<GpuReading>? Read()
    {
        if (Loaded.Value is not { } api) return null;
        try
        {
            if (api.Count(out var count) != Success) return null;
            var readings = new List<GpuReading>((int)count);
            for (uint i = 0; i < count; i++)
            {
                if (api.Handle(i, out var device) != Success) continue;
                var buffer = new byte[NameBufferSize];
                var name = $"NVIDIA GPU {i}";
                if (api.Name(device, buffer, NameBufferSize) == Success)
                {
                    var end = Array.IndexOf(buffer, (byte)0);
                    name = Encoding.ASCII.GetString(buffer, 0, end < 0 ? buffer.Length : end);
                }
                if (api.Memory(device, out var memory) != Success) memory = default;
                int? utilization = api.Utilization is { } read && read(device, out var rates) == Success ? (int)rates.Gpu : null;
                readings.Add(new GpuReading((int)i, name, (long)memory.Total, (long)memory.Free, utilization));
            }
            return readings;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or MarshalDirectiveException or SEHException)
        {
            return null;
        }
    }

    /// <summary>
    /// The NVML index of CUDA device <paramref name="cudaIndex"/>: CUDA numbers only the devices in
    /// <c>CUDA_VISIBLE_DEVICES</c> when it lists indexes. Both follow PCI bus order when <c>CUDA_DEVICE_ORDER=PCI_BUS_ID</c>
    /// (the studio's Dockerfile sets it); CUDA's default order puts the fastest first, which only differs on mixed GPUs.
    /// </summary>
    public static int NvmlIndexOf(int cudaIndex, string? visibleDevices)
    {
        if (string.IsNullOrWhiteSpace(visibleDevices)) return cudaIndex;
        var listed = visibleDevices.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return cudaIndex < listed.Length && int.TryParse(listed[cudaIndex], out var index) ? index : cudaIndex;
    }

    private static Api? Load()
    {
        if (!NativeLibrary.TryLoad("libnvidia-ml.so.1", out var library) && !NativeLibrary.TryLoad("libnvidia-ml.so", out library)) return null;
        T? Export<T>(string name) where T : Delegate =>
            NativeLibrary.TryGetExport(library, name, out var address) ? Marshal.GetDelegateForFunctionPointer<T>(address) : null;

        var init = Export<InitFn>("nvmlInit_v2");
        var count = Export<CountFn>("nvmlDeviceGetCount_v2");
        var handle = Export<HandleFn>("nvmlDeviceGetHandleByIndex_v2");
        var name = Export<NameFn>("nvmlDeviceGetName");
        var memory = Export<MemoryFn>("nvmlDeviceGetMemoryInfo");
        if (init is null || count is null || handle is null || name is null || memory is null) return null;
        return init() == Success ? new Api(count, handle, name, memory, Export<UtilizationFn>("nvmlDeviceGetUtilizationRates")) : null;
    }
}
