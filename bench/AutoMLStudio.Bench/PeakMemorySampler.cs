using System.Diagnostics;

namespace AutoMLStudio.Bench;

/// <summary>Samples the process's working set and managed heap every 50 ms and keeps the highest values.</summary>
public sealed class PeakMemorySampler : IDisposable
{
    private readonly Timer _timer;

    public PeakMemorySampler() => _timer = new Timer(_ => Sample(), null, 0, 50);

    public long PeakBytes { get; private set; }

    /// <summary>Resident memory of this process now (pages in RAM, native and managed), from /proc/self/statm.</summary>
    public static long ResidentBytes() =>
        long.Parse(File.ReadAllText("/proc/self/statm").Split(' ')[1]) * Environment.SystemPageSize;
    public long PeakManagedBytes { get; private set; }

    private void Sample()
    {
        using var process = Process.GetCurrentProcess();
        PeakBytes = Math.Max(PeakBytes, process.WorkingSet64);
        PeakManagedBytes = Math.Max(PeakManagedBytes, GC.GetTotalMemory(false));
    }

    public void Dispose()
    {
        _timer.Dispose();
        Sample();
    }
}
