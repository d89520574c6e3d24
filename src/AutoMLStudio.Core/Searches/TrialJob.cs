using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Devices;
using AutoMLStudio.Core.Searches.Pipelines;
using AutoMLStudio.Engine.Native;
using AutoMLStudio.Engine.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AutoMLStudio.Core.Searches;

/// <summary>
/// Trains one trial. The first thing it does is take the trial's lease: a second delivery of the same job finds the
/// lease held and does nothing. It resumes from the trial's last checkpoint, writes every epoch's metrics, and records
/// a failure as the trial's state, so the search goes on. The task's pipeline trains it (<see cref="ITaskPipeline"/>);
/// <see cref="TrialLease"/> holds it, <see cref="EpochRecording"/> writes its epochs, <see cref="TrialScheduling"/> prunes it.
/// </summary>
public sealed class TrialJob(
    StudioDbContext db,
    TaskPipelines pipelines,
    StudioDevices devices,
    RunningTrials running,
    IBackgroundJobs jobs,
    ISearchEventPublisher events,
    TimeProvider clock,
    ILogger<TrialJob> logger,
    TrialLease lease,
    EpochRecording epochs,
    TrialScheduling scheduling)
{
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
        switch (await lease.AdmitAsync(trial, search, device, ct))
        {
            case TrialLease.Admission.Wait:
                jobs.ScheduleTrial(trialId, queue, ControlDevices.RecheckDelay);
                return;
            case TrialLease.Admission.LeasedElsewhere:
                var wait = await lease.LookAgainInAsync(trialId, ct);
                logger.LogInformation("Trial {TrialId} is leased by another worker; this delivery looks again in {Wait}", trialId, wait);
                jobs.ScheduleTrial(trialId, queue, wait);
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
            if (IsTransient(ex) && await lease.RetriesLeftAsync(trialId))
            {
                logger.LogWarning(ex, "Trial {TrialId} of search {SearchId} failed inside libtorch, on I/O or in the database; it resumes from its last checkpoint", trialId, search.Id);
                await lease.RequeueAsync(trialId, queue);
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

    /// <summary>Failures that a resume from the checkpoint can get past: native libtorch errors, file I/O and the database (DbException is an ExternalException).</summary>
    // The database's own errors arrive wrapped by EF Core (Npgsql's execution strategy turns a refused connection into
    // an InvalidOperationException), so the whole chain is looked at: an outage must not fail the trial for good.
    public static bool IsTransient(Exception ex) =>
        ex is System.Runtime.InteropServices.ExternalException or IOException || ex.InnerException is { } inner && IsTransient(inner);

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
        await epochs.RecordAsync(trial, search.MetricDefinition(), report, lease.Owner, jobToken);
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
        var decision = await scheduling.ScheduleAsync(search, trial.Number, report.Epoch, jobToken);
        if (decision.Pruned)
        {
            _prunedBecause = decision.Reason;
            await stop.CancelAsync();
        }
    }

    // Stopped between batches: by a pause (back to the queue, resumes from its checkpoint), a cancel, the time budget,
    // or the host shutting down (the start-up reconciliation picks it up again).
    private async Task StoppedAsync(Trial trial, CancellationToken jobToken)
    {
        // Cancelled on its own (an admin's cancel takes the lease away): the cancel wrote the outcome.
        if (!await lease.HeldAsync(trial.Id))
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
        var owner = lease.Owner;
        if (leased) row = row.Where(t => t.LeaseOwner == owner);
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
