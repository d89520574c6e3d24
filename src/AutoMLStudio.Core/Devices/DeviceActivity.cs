using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Searches;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Devices;

/// <summary>A trial as the admin sees it on a device or in a queue: whose, from which search, how big.</summary>
public sealed record DeviceTrial(Guid TrialId, Guid SearchId, int Number, string Status, string Queue, string? Device, string? Node,
    string DatasetName, string? Owner, int Priority, long? MemoryBytes, DateTimeOffset CreatedAt);

/// <summary>A device of a live node with its mode and the trials training on it there.</summary>
public sealed record DeviceActivityRow(NodeDevice Device, DeviceMode Mode, IReadOnlyList<DeviceTrial> Running, int Waiting);

/// <summary>What runs where, and what waits for which device: the admin page's and the devices API's one query.</summary>
public sealed class DeviceActivity(StudioDbContext db, DeviceInventory inventory)
{
    public async Task<List<DeviceActivityRow>> DevicesAsync(CancellationToken ct)
    {
        var live = await inventory.LiveAsync(ct);
        var modes = await ControlDevices.ModesAsync(db, ct);
        var trials = await ActiveTrialsAsync(ct);
        return [.. live.Select(d => new DeviceActivityRow(d, modes.GetValueOrDefault(d.DeviceId, DeviceMode.Active),
            [.. trials.Where(t => t.Status == "running" && t.Node == d.NodeName && (t.Device ?? "cpu") == d.DeviceId)],
            trials.Count(t => t.Status == "queued" && t.Queue == d.Queue)))];
    }

    /// <summary>Queued trials of running searches, in the order they start: higher priority first, then oldest first.</summary>
    public async Task<List<DeviceTrial>> WaitingAsync(CancellationToken ct) =>
        [.. (await ActiveTrialsAsync(ct)).Where(t => t.Status == "queued").OrderByDescending(t => t.Priority).ThenBy(t => t.CreatedAt)];

    private async Task<List<DeviceTrial>> ActiveTrialsAsync(CancellationToken ct)
    {
        var rows = await db.Trials.AsNoTracking()
            .Where(t => (t.Status == TrialStatus.Queued || t.Status == TrialStatus.Running)
                        && (t.Search!.Status == SearchStatus.Running || t.Search.Status == SearchStatus.Queued))
            .Select(t => new
            {
                t.Id, t.SearchId, t.Number, t.Status, Queue = t.Queue ?? t.Search!.Queue, t.Device, t.LeaseOwner, t.MemoryBytes, t.CreatedAt,
                t.Search!.Priority, t.Search.CreatedBy,
                Dataset = db.Datasets.Where(d => d.Id == t.Search.DatasetId).Select(d => d.Name).FirstOrDefault(),
                Owner = db.Users.Where(u => u.Id == t.Search.CreatedBy).Select(u => u.Email).FirstOrDefault(),
            })
            .ToListAsync(ct);
        // The lease owner is "node/process/run": the node is where a running trial trains.
        return [.. rows.Select(r => new DeviceTrial(r.Id, r.SearchId, r.Number, r.Status.ToString().ToLowerInvariant(), r.Queue, r.Device,
            r.LeaseOwner?.Split('/')[0], r.Dataset ?? "(deleted dataset)", r.Owner ?? r.CreatedBy, r.Priority, r.MemoryBytes, r.CreatedAt))];
    }
}
