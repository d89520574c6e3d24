using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Engine.Devices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Core.Devices;

/// <summary>
/// Writes this node's devices, their slots, free memory, utilization and running trials into <see cref="NodeDevice"/>
/// rows, every <see cref="Interval"/> on a node that serves devices. Placement and the admin page read those rows.
/// </summary>
public sealed class DeviceHeartbeat(StudioDbContext db, StudioDevices devices, RunningTrials running, IOptions<StudioOptions> options, TimeProvider clock)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    /// <summary>A node that has not beaten for this long is gone: its devices take no new trials.</summary>
    public static readonly TimeSpan LiveFor = TimeSpan.FromSeconds(45);

    public async Task BeatAsync(CancellationToken ct)
    {
        var node = options.Value.NodeName;
        var now = clock.GetUtcNow();
        var rows = await db.NodeDevices.Where(d => d.NodeName == node).ToListAsync(ct);
        foreach (var device in devices.All)
        {
            var row = rows.FirstOrDefault(r => r.DeviceId == device.Id);
            if (row is null) db.NodeDevices.Add(row = new NodeDevice { NodeName = node, DeviceId = device.Id });
            var reading = DeviceDetector.Read(device);
            row.Queue = device.Queue;
            row.Name = device.Name;
            row.MemoryBytes = device.MemoryBytes;
            row.FreeMemoryBytes = reading.FreeMemoryBytes;
            row.UtilizationPercent = reading.UtilizationPercent ?? (device.IsGpu ? null : devices.CpuUtilizationPercent());
            row.Slots = options.Value.Training.SlotsOf(device.Id);
            row.Running = running.CountOn(device.Queue);
            row.SeenAt = now;
        }
        db.NodeDevices.RemoveRange(rows.Where(r => devices.All.All(d => d.Id != r.DeviceId)));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A node that stops cleanly says so at once, so nothing is placed on its devices meanwhile.</summary>
    public Task LeaveAsync(CancellationToken ct) =>
        db.NodeDevices.Where(d => d.NodeName == options.Value.NodeName).ExecuteDeleteAsync(ct);
}
