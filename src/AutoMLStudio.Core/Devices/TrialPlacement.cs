namespace AutoMLStudio.Core.Devices;

/// <summary>A device queue as placement sees it: what its devices have, and what trials already placed there claim.</summary>
/// <param name="MemoryBytes">Memory of one device serving the queue (the smallest, when several nodes serve it); 0 when unknown.</param>
/// <param name="Slots">Trials the queue runs at once, over every node serving it.</param>
/// <param name="Trials">Trials placed on it that are queued or running.</param>
/// <param name="ReservedBytes">Those trials' estimated memory.</param>
public sealed record QueueCapacity(string Queue, string Name, long MemoryBytes, int Slots, DeviceMode Mode, int Trials, long ReservedBytes)
{
    public bool IsGpu => Queue != "cpu";

    /// <summary>Memory placement may fill: the CUDA context and fragmentation take the rest.</summary>
    public long UsableBytes => (long)(MemoryBytes * TrialPlacement.UsableShare);

    public bool FitsEver(long needBytes) => MemoryBytes == 0 || needBytes <= UsableBytes;

    public bool FitsNow(long needBytes) => Trials < Slots && (MemoryBytes == 0 || ReservedBytes + needBytes <= UsableBytes);

    public long FreeAfter(long needBytes) => MemoryBytes == 0 ? long.MaxValue : UsableBytes - ReservedBytes - needBytes;
}

/// <summary>Where a trial goes, and why in a sentence.</summary>
public sealed record Placement(string Queue, string Reason);

/// <summary>
/// Chooses the device queue for a trial from what it needs and what each queue has. GPUs first: the one with a free
/// slot and the most memory left after the trial (spreading trials keeps each one fast); when every GPU that could hold
/// it is busy it waits for the least loaded of them rather than falling back to a CPU many times slower; only a
/// trial no GPU can hold, or a machine without GPUs, trains on the CPU. Paused and draining devices take nothing new.
/// </summary>
public static class TrialPlacement
{
    public const double UsableShare = 0.9;

    public static Placement Choose(long needBytes, IReadOnlyList<QueueCapacity> queues, string fallbackQueue)
    {
        var active = queues.Where(q => q.Mode == DeviceMode.Active).ToList();
        if (active.Count == 0)
        {
            var wait = queues.FirstOrDefault(q => q.Queue == fallbackQueue) ?? queues.FirstOrDefault();
            return wait is null
                ? new Placement(fallbackQueue, $"No worker serves a device right now; the trial waits on {fallbackQueue}.")
                : new Placement(wait.Queue, $"Every device is paused or draining; the trial waits on {wait.Queue} until an admin resumes one.");
        }

        var gpus = active.Where(q => q.IsGpu).ToList();
        var now = gpus.Where(q => q.FitsNow(needBytes))
            .OrderByDescending(q => q.FreeAfter(needBytes)).ThenBy(q => q.Trials).ThenBy(q => q.Queue, StringComparer.Ordinal).FirstOrDefault();
        if (now is not null)
            return new Placement(now.Queue, $"{now.Queue} ({now.Name}) has a free slot and room for the {Gib(needBytes)} it needs ({Load(now)}).");

        var later = gpus.Where(q => q.FitsEver(needBytes))
            .OrderBy(q => (double)q.Trials / Math.Max(1, q.Slots)).ThenBy(q => q.Queue, StringComparer.Ordinal).FirstOrDefault();
        if (later is not null)
            return new Placement(later.Queue, $"Every GPU that can hold the {Gib(needBytes)} it needs is busy; it waits for {later.Queue}, the least loaded ({Load(later)}).");

        var cpu = active.FirstOrDefault(q => !q.IsGpu);
        if (cpu is null)
        {
            var largest = gpus.OrderByDescending(q => q.MemoryBytes).First();
            return new Placement(largest.Queue, $"No device has the {Gib(needBytes)} it needs; it tries {largest.Queue}, the largest ({Gib(largest.UsableBytes)} usable).");
        }
        return new Placement(cpu.Queue, gpus.Count == 0
            ? $"It trains on the CPU ({Load(cpu)})."
            : $"No GPU has the {Gib(needBytes)} it needs (largest: {Gib(gpus.Max(q => q.UsableBytes))} usable); it trains on the CPU ({Load(cpu)}).");
    }

    private static string Load(QueueCapacity q) =>
        $"{q.Trials} of {q.Slots} slot{(q.Slots == 1 ? "" : "s")} taken" + (q.MemoryBytes > 0 ? $", {Gib(Math.Max(0, q.UsableBytes - q.ReservedBytes))} free" : "");

    private static string Gib(long bytes) => bytes >= 1L << 30
        ? FormattableString.Invariant($"{bytes / (double)(1L << 30):0.#} GiB")
        : FormattableString.Invariant($"{bytes / (double)(1L << 20):0} MiB");
}
