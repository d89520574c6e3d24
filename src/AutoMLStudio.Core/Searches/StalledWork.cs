using AutoMLStudio.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Core.Searches;

/// <summary>
/// Gives back to the queue the work whose job was lost while the studio kept running: a database outage can fail a
/// trial's job and its retries, or the step a finished trial enqueues, and then nothing would ever look at the search
/// again until a restart (<see cref="Reconciliation"/>). A trial counts as stalled when its lease ran out longer ago than
/// the queue's own redelivery takes; a search when it is running with no trial queued or running, no final retrain
/// started, and nothing ended for as long.
/// </summary>
public sealed class StalledWork(StudioDbContext db, IBackgroundJobs jobs, IOptions<StudioOptions> options, TimeProvider clock, ILogger<StalledWork> logger)
{
    /// <summary>Past a lease's end, how long the queue has to redeliver a job itself (its invisibility timeout is the lease plus 20 s).</summary>
    public TimeSpan Grace => TimeSpan.FromSeconds(options.Value.Training.LeaseSeconds + 60);

    public async Task<(int Trials, int Searches)> RecoverAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var stalledSince = now - Grace;
        var trials = await db.Trials.AsNoTracking()
            .Where(t => t.Status == TrialStatus.Running && t.LeaseExpiresAt < stalledSince && t.Search!.Status == SearchStatus.Running)
            .Select(t => new { t.Id, t.Queue, SearchQueue = t.Search!.Queue }).ToListAsync(ct);
        var requeued = 0;
        foreach (var trial in trials)
        {
            // Moving the lease's end to now claims the trial for this sweep: another node's sweep no longer sees it as
            // stalled, and the delivery below can still take the lease, which has run out.
            var claimed = await db.Trials.Where(t => t.Id == trial.Id && t.Status == TrialStatus.Running && t.LeaseExpiresAt < stalledSince)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LeaseExpiresAt, now), ct);
            if (claimed == 0) continue;
            jobs.EnqueueTrial(trial.Id, trial.Queue ?? trial.SearchQueue);
            requeued++;
            logger.LogWarning("Trial {TrialId} was running with no live job since its lease ran out; it resumes from its checkpoint", trial.Id);
        }

        var searches = await db.Searches.AsNoTracking()
            .Where(s => s.Status == SearchStatus.Running && s.FinalRetrain == null && s.StartedAt < stalledSince
                        && !s.Trials.Any(t => t.Status == TrialStatus.Queued || t.Status == TrialStatus.Running)
                        && !s.Trials.Any(t => t.CompletedAt >= stalledSince))
            .Select(s => s.Id).ToListAsync(ct);
        foreach (var searchId in searches)
        {
            jobs.EnqueueSearchStep(searchId);
            logger.LogWarning("Search {SearchId} was running with nothing queued or running; its next step is queued again", searchId);
        }
        return (requeued, searches.Count);
    }
}
