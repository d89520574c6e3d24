using System.Data;
using System.Data.Common;
using System.Text.Json;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Devices;
using AutoMLStudio.Core.Searches.Pipelines;
using AutoMLStudio.Engine.Native;
using AutoMLStudio.Engine.Metrics;
using AutoMLStudio.Engine.Scheduling;
using AutoMLStudio.Engine.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Core.Searches;

/// <summary>
/// Trains one trial. The first thing it does is take the trial's lease: a second delivery of the same job finds the
/// lease held and does nothing. It resumes from the trial's last checkpoint, writes every epoch's metrics, and records
/// a failure as the trial's state, so the search goes on.
/// </summary>
public sealed class TrialJob(
    StudioDbContext db,
    TaskPipelines pipelines,
    StudioDevices devices,
    RunningTrials running,
    IBackgroundJobs jobs,
    ISearchEventPublisher events,
    TimeProvider clock,
    IOptions<StudioOptions> options,
    ILogger<TrialJob> logger,
    TrialAdmission admission)
{
    // One owner per execution, not per process: two deliveries of the same job inside one process must exclude
    // each other too. The node name comes first so a restarted node can release what its dead processes held.
    private readonly string _leaseOwner = $"{options.Value.NodeName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private string? _prunedBecause;
    private bool _devicePaused;

    public async Task RunAsync(Guid trialId, CancellationToken ct)
    {
        var trial = await db.Trials.AsNoTracking().Include(t => t.Search).SingleOrDefaultAsync(t => t.Id == trialId, ct);
        if (trial?.Search is null) return;
        var search = trial.Search;
        if (trial.Status is not (TrialStatus.Queued or TrialStatus.Running)) return;
        if (search.Status is SearchStatus.Cancelled or SearchStatus.Failed or SearchStatus.Completed)
        {
            await EndAsync(trialId, TrialStatus.Failed, "Cancelled: the search ended before this trial ran.", ct, leased: false);
            return;
        }
        if (search.Status == SearchStatus.Paused) return; // resuming the search queues it again

        var queue = trial.QueueOr(search);
        var device = devices.DeviceIdFor(queue);
        switch (await AdmitAsync(trial, search, device, ct))
        {
            case Admission.Wait:
                jobs.ScheduleTrial(trialId, queue, ControlDevices.RecheckDelay);
                return;
            case Admission.LeasedElsewhere:
                // The holder may be alive (it renews the lease every epoch) or dead (its lease runs out). This delivery may
                // be the last one Hangfire makes, so it looks again just after the lease would run out: a live holder
                // will have renewed it by then, and a dead one's trial is taken over from its checkpoint.
                var expires = await db.Trials.Where(t => t.Id == trialId).Select(t => t.LeaseExpiresAt).SingleOrDefaultAsync(ct);
                var wait = expires is { } at ? at - clock.GetUtcNow() + LeaseGrace : ControlDevices.RecheckDelay;
                logger.LogInformation("Trial {TrialId} is leased by another worker; this delivery looks again in {Wait}", trialId, wait);
                jobs.ScheduleTrial(trialId, queue, wait > ControlDevices.RecheckDelay ? wait : ControlDevices.RecheckDelay);
                return;
        }

        await events.PublishAsync(new TrialStarted(search.Id, trialId, trial.Number, device));
        using var stop = running.Register(trialId, search.Id, queue, ct);
        try
        {
            var pipeline = pipelines.For(search.Task);
            var trained = await pipeline.TrainAsync(trial, search, report => AfterEpochAsync(trial, search, report, stop, ct), stop.Token, ct);
            // Stopped after its last epoch (it diverged there): nothing was left to cancel, the outcome is the same.
            if (_prunedBecause is not null) throw new OperationCanceledException(_prunedBecause);
            var latency = pipeline.LatencyMs(trial, search, trained);
            await db.Trials.Where(t => t.Id == trial.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LatencyMs, latency), CancellationToken.None);
            await EndAsync(trialId, TrialStatus.Completed, null, CancellationToken.None, trained.Parameters);
        }
        catch (OperationCanceledException) when (_prunedBecause is not null)
        {
            await EndAsync(trialId, TrialStatus.Pruned, _prunedBecause, CancellationToken.None);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await StoppedAsync(trial, ct);
        }
        catch (LeaseLostException)
        {
            // Our lease expired and another worker took the trial over from the checkpoint; it owns the outcome now.
            logger.LogWarning("Trial {TrialId} lost its lease to another worker; this run stops", trialId);
        }
        catch (Exception ex)
        {
            if (IsTransient(ex) && await RetriesLeftAsync(trialId))
            {
                logger.LogWarning(ex, "Trial {TrialId} of search {SearchId} failed inside libtorch, on I/O or in the database; it resumes from its last checkpoint", trialId, search.Id);
                await RequeueAsync(trialId, queue);
                return;
            }
            logger.LogError(ex, "Trial {TrialId} of search {SearchId} failed", trialId, search.Id);
            await EndAsync(trialId, TrialStatus.Failed, Describe(ex), CancellationToken.None);
        }
        finally
        {
            running.Unregister(trialId);
            NativeHeap.ReleaseFreed();
        }
    }

    private enum Admission { Leased, Wait, LeasedElsewhere }

    // The one place a trial starts: a paused or draining device, its owner's limit or a higher-priority search holds it
    // back, and it looks again later. The gate and the lease share one serializable transaction: two workers picking up
    // one person's trials at the same moment would otherwise both count them under the limit. SQLite takes its write
    // lock at the start; PostgreSQL lets one commit and fails the other, which then waits like any held-back trial.
    private async Task<Admission> AdmitAsync(Trial trial, Search search, string device, CancellationToken ct)
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

    /// <summary>How long after another worker's lease would run out a waiting delivery looks again.</summary>
    private static readonly TimeSpan LeaseGrace = TimeSpan.FromSeconds(5);

    /// <summary>Failures that a resume from the checkpoint can get past: native libtorch errors, file I/O and the database (DbException is an ExternalException).</summary>
    // The database's own errors arrive wrapped by EF Core (Npgsql's execution strategy turns a refused connection into
    // an InvalidOperationException), so the whole chain is looked at: an outage must not fail the trial for good.
    public static bool IsTransient(Exception ex) =>
        ex is System.Runtime.InteropServices.ExternalException or IOException || ex.InnerException is { } inner && IsTransient(inner);

    // Attempts counts every lease taken, restarts included, so a trial resumed after a crash has fewer retries left.
    private async Task<bool> RetriesLeftAsync(Guid trialId) =>
        await db.Trials.Where(t => t.Id == trialId).Select(t => t.Attempts).SingleAsync(CancellationToken.None)
        <= options.Value.Training.TransientFailureRetries;

    private async Task RequeueAsync(Guid trialId, string queue)
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
        var owner = _leaseOwner;
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

    private async Task AfterEpochAsync(Trial trial, Search search, EpochReport report, CancellationTokenSource stop, CancellationToken jobToken)
    {
        // A learning rate too high for the network makes the loss overflow; later epochs cannot recover, and the
        // database stores no NaN. The trial ends as pruned with the reason, its earlier epochs kept.
        if (!double.IsFinite(report.TrainLoss) || !double.IsFinite(report.ValLoss) || !double.IsFinite(report.Score))
        {
            _prunedBecause = $"Training diverged at epoch {report.Epoch}: the loss is no longer a number (the learning rate is too high for this network).";
            await stop.CancelAsync();
            return;
        }
        await RecordEpochAsync(trial, search.MetricDefinition(), report, jobToken);
        var deadline = (search.StartedAt ?? clock.GetUtcNow()).AddMinutes(search.MaxMinutes);
        var current = await db.Searches.Where(s => s.Id == search.Id).Select(s => new { s.Status, s.EndReasonCode }).SingleAsync(jobToken);
        // A trial in training stops at the first epoch end past the deadline, so a search overruns its minutes by at most
        // one epoch; once the search has stopped proposing for time (keeping the final retrain's time free), it stops then.
        if (current.Status is not SearchStatus.Running || clock.GetUtcNow() >= deadline || current.EndReasonCode == SearchEndReasons.Minutes)
        {
            await stop.CancelAsync();
            return;
        }
        // A paused device hands the trial back to the queue at this epoch boundary; a draining one lets it finish.
        if (await ControlDevices.ModeOfAsync(db, devices.DeviceIdFor(trial.QueueOr(search)), jobToken) == DeviceMode.Paused)
        {
            _devicePaused = true;
            await stop.CancelAsync();
            return;
        }
        var decision = await ScheduleAsync(search, trial.Number, report.Epoch, jobToken);
        if (decision.Pruned)
        {
            _prunedBecause = decision.Reason;
            await stop.CancelAsync();
        }
    }

    // The scheduler is rebuilt from the search's epoch rows in the order they were written, so every worker, and a
    // restarted one, decides exactly as one long-lived scheduler would have.
    private async Task<SchedulerDecision> ScheduleAsync(Search search, int number, int epoch, CancellationToken ct)
    {
        if (search.Scheduler == "none") return SchedulerDecision.Continue;
        var metric = search.MetricDefinition();
        var scheduler = TrialSchedulers.Create(search.Scheduler, search.EpochsPerTrial(), metricName: $"validation {metric.DisplayName}",
            direction: metric.Direction);
        var reports = await db.EpochMetrics
            .Join(db.Trials.Where(t => t.SearchId == search.Id), m => m.TrialId, t => t.Id, (m, t) => new { m.Id, t.Number, m.Epoch, m.ValMetric })
            .OrderBy(r => r.Id).ToListAsync(ct);
        var decision = SchedulerDecision.Continue;
        foreach (var r in reports)
        {
            var made = scheduler.Report(r.Number, r.Epoch, r.ValMetric);
            if (r.Number == number && r.Epoch == epoch) decision = made;
        }
        return decision;
    }

    private async Task RecordEpochAsync(Trial trial, MetricDefinition metric, EpochReport report, CancellationToken ct)
    {
        var exists = await db.EpochMetrics.AnyAsync(m => m.TrialId == trial.Id && m.Epoch == report.Epoch, ct);
        if (!exists)
        {
            db.EpochMetrics.Add(new EpochMetric
            {
                TrialId = trial.Id, Epoch = report.Epoch, TrainLoss = report.TrainLoss, ValLoss = report.ValLoss,
                ValMetric = report.Score, Seconds = report.Seconds,
            });
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }

        // The earliest of the best epochs, as the trainer picks best.weights; the confusion matrix follows when it is this one.
        var epochs = await db.EpochMetrics.AsNoTracking().Where(m => m.TrialId == trial.Id).OrderBy(m => m.Epoch).ToListAsync(ct);
        var best = epochs.Aggregate((a, b) => metric.IsBetter(b.ValMetric, a.ValMetric) ? b : a);
        var confusion = best.Epoch == report.Epoch && report.ValConfusion is { } matrix ? JsonSerializer.Serialize(matrix) : null;
        var expires = clock.GetUtcNow().AddSeconds(options.Value.Training.LeaseSeconds);
        var renewed = await db.Trials.Where(t => t.Id == trial.Id && t.LeaseOwner == _leaseOwner).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.ValMetric, best.ValMetric)
            .SetProperty(t => t.ValLoss, best.ValLoss)
            .SetProperty(t => t.ValConfusionJson, t => confusion ?? t.ValConfusionJson)
            .SetProperty(t => t.LeaseExpiresAt, expires), ct);
        if (renewed == 0) throw new LeaseLostException();

        if (!exists)
            await events.PublishAsync(new EpochCompleted(trial.SearchId, trial.Id, trial.Number, report.Epoch, report.TrainLoss,
                report.ValLoss, report.Score, report.Seconds));
    }

    // Stopped between batches: by a pause (back to the queue, resumes from its checkpoint), a cancel, the time budget,
    // or the host shutting down (the start-up reconciliation picks it up again).
    private async Task StoppedAsync(Trial trial, CancellationToken jobToken)
    {
        // Cancelled on its own (an admin's cancel takes the lease away): the cancel wrote the outcome.
        if (!await db.Trials.AnyAsync(t => t.Id == trial.Id && t.LeaseOwner == _leaseOwner, CancellationToken.None))
        {
            logger.LogInformation("Trial {TrialId} was cancelled while it trained", trial.Id);
            return;
        }
        var status = await db.Searches.Where(s => s.Id == trial.SearchId).Select(s => s.Status).SingleAsync(CancellationToken.None);
        var epochs = await db.EpochMetrics.CountAsync(m => m.TrialId == trial.Id, CancellationToken.None);
        if (jobToken.IsCancellationRequested || status == SearchStatus.Paused || (_devicePaused && status == SearchStatus.Running))
        {
            await db.Trials.Where(t => t.Id == trial.Id).ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Status, jobToken.IsCancellationRequested ? TrialStatus.Running : TrialStatus.Queued)
                .SetProperty(t => t.LeaseOwner, (string?)null)
                .SetProperty(t => t.LeaseExpiresAt, (DateTimeOffset?)null), CancellationToken.None);
            logger.LogInformation("Trial {TrialId} stopped after {Epochs} epochs; it resumes from its checkpoint", trial.Id, epochs);
            jobToken.ThrowIfCancellationRequested();
            // A resumed search queues its trials again itself; a paused device's trial looks again until the device is back.
            if (status == SearchStatus.Running) jobs.ScheduleTrial(trial.Id, trial.QueueOr(trial.Search!), ControlDevices.RecheckDelay);
            return;
        }
        if (status == SearchStatus.Running && epochs > 0)
            await EndAsync(trial.Id, TrialStatus.Completed, null, CancellationToken.None);
        else
            await EndAsync(trial.Id, TrialStatus.Failed,
                status == SearchStatus.Running ? "The search's time budget ran out before this trial finished an epoch." : "Cancelled with the search.",
                CancellationToken.None);
    }

    private async Task EndAsync(Guid trialId, TrialStatus status, string? error, CancellationToken ct, long? parameters = null, bool leased = true)
    {
        var now = clock.GetUtcNow();
        var row = db.Trials.Where(t => t.Id == trialId);
        // A run writes its outcome only while it holds the lease: an admin's cancel takes the lease and writes its own
        // outcome, which a run that finished its last epoch at that moment must not overwrite.
        if (leased) row = row.Where(t => t.LeaseOwner == _leaseOwner);
        var written = await row.ExecuteUpdateAsync(s => s
            .SetProperty(t => t.Status, status)
            .SetProperty(t => t.Error, error)
            .SetProperty(t => t.Params, t => parameters ?? t.Params)
            .SetProperty(t => t.CompletedAt, now)
            .SetProperty(t => t.LeaseOwner, (string?)null)
            .SetProperty(t => t.LeaseExpiresAt, (DateTimeOffset?)null), ct);
        if (written == 0)
        {
            logger.LogInformation("Trial {TrialId} ended as {Status} after its outcome was written by a cancel; the cancel stands", trialId, status);
            return;
        }

        var trial = await db.Trials.AsNoTracking().SingleAsync(t => t.Id == trialId, ct);
        await events.PublishAsync(new TrialCompleted(trial.SearchId, trialId, trial.Number, status.ToString().ToLowerInvariant(),
            trial.ValMetric, trial.Params, error));
        jobs.EnqueueSearchStep(trial.SearchId);
    }

    private static string Describe(Exception ex) => ex switch
    {
        OutOfMemoryException => "The trial ran out of memory. Smaller batch sizes or fewer parallel trials would help.",
        _ => $"Training failed: {ex.Message}",
    };
}

/// <summary>The trial's lease was taken over by another worker (ours had expired).</summary>
public sealed class LeaseLostException() : Exception("The trial's lease is held by another worker.");
