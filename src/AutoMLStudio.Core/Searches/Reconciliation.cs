using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Datasets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Core.Searches;

/// <summary>
/// At start-up, gives back to the queue everything the database says is in progress: the queue may have lost it
/// (the in-memory queue always does on restart). Leases held by an earlier process of this node are dead and are
/// released; jobs that are still queued elsewhere find the lease taken and do nothing.
/// </summary>
public sealed class Reconciliation(StudioDbContext db, IBackgroundJobs jobs, IOptions<StudioOptions> options, ILogger<Reconciliation> logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        var nodePrefix = options.Value.NodeName + "/";
        var released = await db.Trials.Where(t => t.LeaseOwner != null && t.LeaseOwner.StartsWith(nodePrefix))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LeaseOwner, (string?)null).SetProperty(t => t.LeaseExpiresAt, (DateTimeOffset?)null), ct);

        var importing = await db.Datasets.Where(d => d.Status == DatasetStatus.Importing).Select(d => d.Id).ToListAsync(ct);
        foreach (var id in importing) jobs.EnqueueDatasetImport(id);

        var searches = await db.Searches.Where(s => s.Status == SearchStatus.Queued || s.Status == SearchStatus.Running)
            .Select(s => new { s.Id, s.Queue }).ToListAsync(ct);
        var searchIds = searches.Select(s => s.Id).ToList();
        var trials = await db.Trials.Where(t => searchIds.Contains(t.SearchId) && (t.Status == TrialStatus.Queued || t.Status == TrialStatus.Running))
            .Select(t => new { t.Id, t.SearchId, t.Queue }).ToListAsync(ct);
        foreach (var trial in trials) jobs.EnqueueTrial(trial.Id, trial.Queue ?? searches.Single(s => s.Id == trial.SearchId).Queue);
        foreach (var search in searches) jobs.EnqueueSearchStep(search.Id);

        if (importing.Count + searches.Count + trials.Count + released > 0)
            logger.LogInformation("Reconciled: {Imports} imports, {Searches} searches, {Trials} trials re-queued; {Leases} stale leases released",
                importing.Count, searches.Count, trials.Count, released);
    }
}
