using System.Data;
using System.Data.Common;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Devices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Core.Searches;

/// <summary>
/// One execution's hold on a trial: the admission gate and the lease taken with it, the look-again delay when another
/// worker holds it, and the hand-back to the queue after a transient failure. Transient: each execution is its own owner.
/// </summary>
public sealed class TrialLease(
    StudioDbContext db,
    TrialAdmission admission,
    IBackgroundJobs jobs,
    TimeProvider clock,
    IOptions<StudioOptions> options,
    ILogger<TrialLease> logger)
{
    public enum Admission { Leased, Wait, LeasedElsewhere }

    // One owner per execution, not per process: two deliveries of the same job inside one process must exclude
    // each other too. The node name comes first so a restarted node can release what its dead processes held.
    public string Owner { get; } = $"{options.Value.NodeName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>How long after another worker's lease would run out a waiting delivery looks again.</summary>
    private static readonly TimeSpan LeaseGrace = TimeSpan.FromSeconds(5);

    /// <summary>
    /// When a delivery that found the trial leased elsewhere looks again. The holder may be alive (it renews the lease
    /// every epoch) or dead (its lease runs out). This delivery may be the last one Hangfire makes, so it looks again
    /// just after the lease would run out: a live holder will have renewed it by then, and a dead one's trial is taken
    /// over from its checkpoint.
    /// </summary>
    public async Task<TimeSpan> LookAgainInAsync(Guid trialId, CancellationToken ct)
    {
        var expires = await db.Trials.Where(t => t.Id == trialId).Select(t => t.LeaseExpiresAt).SingleOrDefaultAsync(ct);
        var wait = expires is { } at ? at - clock.GetUtcNow() + LeaseGrace : ControlDevices.RecheckDelay;
        return wait > ControlDevices.RecheckDelay ? wait : ControlDevices.RecheckDelay;
    }

    /// <summary>Whether this execution still holds the trial (an admin's cancel takes the lease away).</summary>
    public Task<bool> HeldAsync(Guid trialId) =>
        db.Trials.AnyAsync(t => t.Id == trialId && t.LeaseOwner == Owner, CancellationToken.None);

    // The one place a trial starts: a paused or draining device, its owner's limit or a higher-priority search holds it
    // back, and it looks again later. The gate and the lease share one serializable transaction: two workers picking up
    // one person's trials at the same moment would otherwise both count them under the limit. SQLite takes its write
    // lock at the start; PostgreSQL lets one commit and fails the other, which then waits like any held-back trial.
    public async Task<Admission> AdmitAsync(Trial trial, Search search, string device, CancellationToken ct)
    {
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
            if (trial.Status == TrialStatus.Queued && await admission.WhyWaitAsync(trial, search, device, ct) is { } reason)
            {
                logger.LogInformation("Trial {TrialId} waits: {Reason}", trial.Id, reason);
                return Admission.Wait;
            }
            if (!await TryTakeLeaseAsync(trial.Id, device, ct)) return Admission.LeasedElsewhere;
            await transaction.CommitAsync(ct);
            return Admission.Leased;
        }
        catch (DbException e) when (e.SqlState == SerializationFailure)
        {
            logger.LogInformation("Trial {TrialId} waits: another worker admitted a trial at the same moment", trial.Id);
            return Admission.Wait;
        }
    }

    private const string SerializationFailure = "40001";

    // Attempts counts every lease taken, restarts included, so a trial resumed after a crash has fewer retries left.
    public async Task<bool> RetriesLeftAsync(Guid trialId) =>
        await db.Trials.Where(t => t.Id == trialId).Select(t => t.Attempts).SingleAsync(CancellationToken.None)
        <= options.Value.Training.TransientFailureRetries;

    public async Task RequeueAsync(Guid trialId, string queue)
    {
        await db.Trials.Where(t => t.Id == trialId).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.Status, TrialStatus.Queued)
            .SetProperty(t => t.LeaseOwner, (string?)null)
            .SetProperty(t => t.LeaseExpiresAt, (DateTimeOffset?)null), CancellationToken.None);
        var jobId = jobs.EnqueueTrial(trialId, queue);
        await db.Trials.Where(t => t.Id == trialId).ExecuteUpdateAsync(s => s.SetProperty(t => t.JobId, jobId), CancellationToken.None);
    }

    private async Task<bool> TryTakeLeaseAsync(Guid trialId, string device, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var owner = Owner;
        var expires = now.AddSeconds(options.Value.Training.LeaseSeconds);
        var taken = await db.Trials
            .Where(t => t.Id == trialId && (t.Status == TrialStatus.Queued || t.Status == TrialStatus.Running)
                        && (t.LeaseOwner == null || t.LeaseExpiresAt < now))
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.LeaseOwner, owner)
                .SetProperty(t => t.LeaseExpiresAt, expires)
                .SetProperty(t => t.Status, TrialStatus.Running)
                .SetProperty(t => t.Device, device)
                .SetProperty(t => t.Attempts, t => t.Attempts + 1)
                .SetProperty(t => t.StartedAt, t => t.StartedAt ?? now), ct);
        return taken == 1;
    }
}
