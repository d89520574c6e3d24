using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Devices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Core.Searches;

/// <summary>
/// The gate a trial passes before it takes a slot on its device: the device must be active, its owner under their
/// limit of concurrent trials, and no trial of a higher-priority search may be waiting for the same device. A trial
/// that must wait is queued again after <see cref="ControlDevices.RecheckDelay"/>; the check runs on every node
/// against the shared database, so the limits hold across workers.
/// </summary>
public sealed class TrialAdmission(StudioDbContext db, IOptions<StudioOptions> options, TimeProvider clock)
{
    /// <summary>Why <paramref name="trial"/> must wait now, or null when it may start.</summary>
    public async Task<string?> WhyWaitAsync(Trial trial, Search search, string deviceId, CancellationToken ct)
    {
        if (await ControlDevices.ModeOfAsync(db, deviceId, ct) is not DeviceMode.Active and var mode)
            return $"device {deviceId} is {mode.ToString().ToLowerInvariant()}";
        if (await OverLimitAsync(search.CreatedBy, trial.Id, ct) is { } limit)
            return $"its owner already runs {limit} trial{(limit == 1 ? "" : "s")}, their limit";
        var queue = trial.QueueOr(search);
        var waiting = await db.Trials.AsNoTracking()
            .Where(t => t.Status == TrialStatus.Queued && t.LeaseOwner == null && t.Search!.Status == SearchStatus.Running
                        && t.Search.Priority > search.Priority && (t.Queue ?? t.Search.Queue) == queue)
            .Select(t => t.Search!.CreatedBy).Distinct().ToListAsync(ct);
        // A higher-priority trial held back by its own owner's limit does not hold this one back, or the slot would idle.
        foreach (var owner in waiting)
            if (await OverLimitAsync(owner, null, ct) is null)
                return "a search with a higher priority is waiting for the same device";
        return null;
    }

    /// <summary>The limit of <paramref name="userId"/> when their searches already run that many trials (besides <paramref name="except"/>), else null.</summary>
    private async Task<int?> OverLimitAsync(string? userId, Guid? except, CancellationToken ct)
    {
        if (userId is null) return null;
        var limit = await db.Users.Where(u => u.Id == userId).Select(u => u.MaxConcurrentTrials).SingleOrDefaultAsync(ct)
                    ?? options.Value.Training.MaxConcurrentTrialsPerUser;
        if (limit <= 0) return null;
        var now = clock.GetUtcNow();
        var running = await db.Trials.CountAsync(t => t.Status == TrialStatus.Running && t.LeaseOwner != null && t.LeaseExpiresAt > now
                                                      && t.Search!.CreatedBy == userId && t.Id != except, ct);
        return running >= limit ? limit : null;
    }
}
