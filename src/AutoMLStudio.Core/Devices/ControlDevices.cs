using AutoMLStudio.Core.Admin;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Searches;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Devices;

/// <summary>
/// Pause, drain and resume a device, or pause and resume all of them (the whole system). Only the device's row changes
/// here: trial jobs read it before they take a trial's lease and after every epoch (<see cref="TrialJob"/>), so a
/// paused or draining device starts nothing and a paused one hands its running trials back to the queue.
/// </summary>
public sealed class ControlDevices(StudioDbContext db, DeviceInventory inventory, IBackgroundJobs jobs, RecordAdminAction audit, TimeProvider clock)
{
    /// <summary>How long a trial that found its device paused or draining waits before it looks again.</summary>
    public static readonly TimeSpan RecheckDelay = TimeSpan.FromSeconds(3);

    public async Task PauseAsync(string deviceId, string? userId, CancellationToken ct) =>
        await SetAsync([await KnownAsync(deviceId, ct)], DeviceMode.Paused, userId, AdminActions.DevicePaused, deviceId, ct);

    public async Task DrainAsync(string deviceId, string? userId, CancellationToken ct) =>
        await SetAsync([await KnownAsync(deviceId, ct)], DeviceMode.Draining, userId, AdminActions.DeviceDraining, deviceId, ct);

    public async Task ResumeAsync(string deviceId, string? userId, CancellationToken ct) =>
        await SetAsync([await KnownAsync(deviceId, ct)], DeviceMode.Active, userId, AdminActions.DeviceResumed, deviceId, ct);

    public async Task PauseAllAsync(string? userId, CancellationToken ct) =>
        await SetAsync(await AllIdsAsync(ct), DeviceMode.Paused, userId, AdminActions.SystemPaused, null, ct);

    public async Task ResumeAllAsync(string? userId, CancellationToken ct) =>
        await SetAsync(await AllIdsAsync(ct), DeviceMode.Active, userId, AdminActions.SystemResumed, null, ct);

    // A device id names the same device on every node (cuda:0 is each worker's first GPU), so a mode holds for all of them.
    private async Task<List<string>> AllIdsAsync(CancellationToken ct) =>
        [.. (await inventory.LiveAsync(ct)).Select(d => d.DeviceId).Distinct()];

    /// <summary>Every device of this node with its mode; devices without a row are active.</summary>
    public static async Task<Dictionary<string, DeviceMode>> ModesAsync(StudioDbContext db, CancellationToken ct) =>
        await db.DeviceStates.AsNoTracking().ToDictionaryAsync(d => d.DeviceId, d => d.Mode, ct);

    public static async Task<DeviceMode> ModeOfAsync(StudioDbContext db, string deviceId, CancellationToken ct) =>
        await db.DeviceStates.Where(d => d.DeviceId == deviceId).Select(d => (DeviceMode?)d.Mode).SingleOrDefaultAsync(ct) ?? DeviceMode.Active;

    private async Task<string> KnownAsync(string deviceId, CancellationToken ct)
    {
        var ids = await AllIdsAsync(ct);
        return ids.FirstOrDefault(id => string.Equals(id, deviceId, StringComparison.OrdinalIgnoreCase))
               ?? throw new UserInputException("Device not found", $"There is no device with id '{deviceId}'. Devices: {string.Join(", ", ids)}.", 404);
    }

    private async Task SetAsync(IReadOnlyList<string> deviceIds, DeviceMode mode, string? userId, string action, string? target, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var rows = await db.DeviceStates.Where(d => deviceIds.Contains(d.DeviceId)).ToListAsync(ct);
        foreach (var id in deviceIds)
        {
            var row = rows.FirstOrDefault(r => r.DeviceId == id);
            if (row is null) db.DeviceStates.Add(row = new DeviceState { DeviceId = id });
            row.Mode = mode;
            row.ChangedAt = now;
            row.ChangedBy = userId;
        }
        await db.SaveChangesAsync(ct);
        await audit.HandleAsync(userId, action, target is null ? null : deviceIds[0], $"Now {mode.ToString().ToLowerInvariant()}: {string.Join(", ", deviceIds)}.", ct);
        if (mode == DeviceMode.Active) await WakeQueuedTrialsAsync(deviceIds, ct);
    }

    // Waiting trials look again on their own after RecheckDelay; a resume sends them at once. A trial that gets two
    // deliveries runs once: the second finds the lease taken or the trial ended.
    private async Task WakeQueuedTrialsAsync(IReadOnlyList<string> deviceIds, CancellationToken ct)
    {
        var queues = (await inventory.LiveAsync(ct)).Where(d => deviceIds.Contains(d.DeviceId)).Select(d => d.Queue).Distinct().ToList();
        var waiting = await db.Trials
            .Where(t => t.Status == TrialStatus.Queued && t.Search!.Status == SearchStatus.Running && queues.Contains(t.Queue ?? t.Search.Queue))
            .Select(t => new { t.Id, Queue = t.Queue ?? t.Search!.Queue }).ToListAsync(ct);
        foreach (var trial in waiting) jobs.EnqueueTrial(trial.Id, trial.Queue);
    }
}
