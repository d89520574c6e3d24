using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Searches;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Core.Devices;

/// <summary>
/// The devices of every live node (<see cref="NodeDevice"/> rows seen within <see cref="DeviceHeartbeat.LiveFor"/>),
/// or this node's own before any has beaten, with what the trials placed on them already claim.
/// </summary>
public sealed class DeviceInventory(StudioDbContext db, StudioDevices devices, IOptions<StudioOptions> options, TimeProvider clock)
{
    /// <summary>Devices of live nodes, one row per node and device.</summary>
    public async Task<List<NodeDevice>> LiveAsync(CancellationToken ct)
    {
        var since = clock.GetUtcNow() - DeviceHeartbeat.LiveFor;
        var live = await db.NodeDevices.AsNoTracking().Where(d => d.SeenAt >= since).ToListAsync(ct);
        if (live.Count > 0 || !options.Value.Training.ServeDevices) return [.. live.OrderBy(d => d.NodeName).ThenBy(d => d.Queue != "cpu").ThenBy(d => d.Queue)];
        return [.. devices.All.Select(d => new NodeDevice
        {
            NodeName = options.Value.NodeName, DeviceId = d.Id, Queue = d.Queue, Name = d.Name, MemoryBytes = d.MemoryBytes,
            Slots = options.Value.Training.SlotsOf(d.Id), SeenAt = clock.GetUtcNow(),
        })];
    }

    /// <summary>Each queue of the live devices with its mode and what its queued and running trials claim.</summary>
    public async Task<List<QueueCapacity>> QueuesAsync(CancellationToken ct)
    {
        var live = await LiveAsync(ct);
        var modes = await ControlDevices.ModesAsync(db, ct);
        var claims = await db.Trials.AsNoTracking()
            .Where(t => (t.Status == TrialStatus.Queued || t.Status == TrialStatus.Running)
                        && (t.Search!.Status == SearchStatus.Running || t.Search.Status == SearchStatus.Queued))
            .GroupBy(t => t.Queue ?? t.Search!.Queue)
            .Select(g => new { Queue = g.Key, Trials = g.Count(), Bytes = g.Sum(t => t.MemoryBytes ?? 0) })
            .ToListAsync(ct);
        return [.. live.GroupBy(d => d.Queue).Select(g =>
        {
            var claim = claims.FirstOrDefault(c => c.Queue == g.Key);
            var known = g.Where(d => d.MemoryBytes > 0).ToList();
            return new QueueCapacity(g.Key, g.First().Name, known.Count == 0 ? 0 : known.Min(d => d.MemoryBytes), g.Sum(d => d.Slots),
                modes.GetValueOrDefault(g.First().DeviceId, DeviceMode.Active), claim?.Trials ?? 0, claim?.Bytes ?? 0);
        })];
    }

    /// <summary>Where a new search's final retrain and test run: the first live GPU queue, else the CPU.</summary>
    public async Task<string> HomeQueueAsync(CancellationToken ct)
    {
        var queues = await QueuesAsync(ct);
        return queues.FirstOrDefault(q => q.IsGpu && q.Mode == DeviceMode.Active)?.Queue ?? devices.DefaultQueue;
    }
}
