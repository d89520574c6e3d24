using AutoMLStudio.Core.Admin;
using AutoMLStudio.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Searches;

/// <summary>
/// Cancel, pause and resume a search. Each writes the new state first, then acts on running trials. Every one goes
/// into the audit log with its caller, whether the owner or an admin stepping in.
/// </summary>
public sealed class ControlSearch(
    StudioDbContext db, RunningTrials running, IBackgroundJobs jobs, ISearchEventPublisher events, TimeProvider clock,
    RecordAdminAction audit)
{
    public async Task<Search> CancelAsync(Guid searchId, string? userId, CancellationToken ct)
    {
        var search = await LoadAsync(searchId, ct);
        if (search.Status is SearchStatus.Completed or SearchStatus.Failed or SearchStatus.Cancelled)
            throw new UserInputException("Search already ended", $"The search is already {search.Status.ToString().ToLowerInvariant()}; there is nothing to cancel.", 409);

        search.Status = SearchStatus.Cancelled;
        search.EndReasonCode = SearchEndReasons.Cancelled;
        search.EndReason = SearchEndReasons.Message(SearchEndReasons.Cancelled, search, 0);
        search.CompletedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await db.Trials.Where(t => t.SearchId == searchId && t.Status == TrialStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TrialStatus.Failed)
                .SetProperty(t => t.Error, "Cancelled with the search.")
                .SetProperty(t => t.CompletedAt, search.CompletedAt), ct);
        running.StopSearch(searchId);
        await audit.HandleAsync(userId, AdminActions.SearchCancelled, searchId.ToString(), "cancelled through the search's controls", ct);
        await events.PublishAsync(new SearchCompleted(searchId, "cancelled", search.BestTrialId, null, null));
        return search;
    }

    public async Task<Search> PauseAsync(Guid searchId, string? userId, CancellationToken ct)
    {
        var search = await LoadAsync(searchId, ct);
        if (search.Status is not (SearchStatus.Queued or SearchStatus.Running))
            throw new UserInputException("Search not running", $"Only a queued or running search can be paused; this one is {search.Status.ToString().ToLowerInvariant()}.", 409);

        search.Status = SearchStatus.Paused;
        await db.SaveChangesAsync(ct);
        running.StopSearch(searchId);
        await audit.HandleAsync(userId, AdminActions.SearchPaused, searchId.ToString(), "paused through the search's controls", ct);
        return search;
    }

    public async Task<Search> ResumeAsync(Guid searchId, string? userId, CancellationToken ct)
    {
        var search = await LoadAsync(searchId, ct);
        if (search.Status != SearchStatus.Paused)
            throw new UserInputException("Search not paused", $"Only a paused search can be resumed; this one is {search.Status.ToString().ToLowerInvariant()}.", 409);

        search.Status = search.StartedAt is null ? SearchStatus.Queued : SearchStatus.Running;
        await db.SaveChangesAsync(ct);
        var waiting = await db.Trials.Where(t => t.SearchId == searchId && (t.Status == TrialStatus.Queued || t.Status == TrialStatus.Running))
            .Select(t => new { t.Id, t.Queue }).ToListAsync(ct);
        foreach (var trial in waiting) jobs.EnqueueTrial(trial.Id, trial.Queue ?? search.Queue);
        jobs.EnqueueSearchStep(searchId);
        await audit.HandleAsync(userId, AdminActions.SearchResumed, searchId.ToString(), "resumed through the search's controls", ct);
        return search;
    }

    /// <summary>
    /// Stops one trial: a queued one never starts, a running one stops between two batches here or at its next epoch on
    /// another node (its lease is taken away, which the trial notices when it renews). The search goes on without it.
    /// </summary>
    public async Task<Trial> CancelTrialAsync(Guid searchId, Guid trialId, string? userId, CancellationToken ct)
    {
        var trial = await db.Trials.SingleOrDefaultAsync(t => t.Id == trialId && t.SearchId == searchId, ct) ?? throw UserInputException.NotFound("Trial", trialId);
        if (trial.Status is not (TrialStatus.Queued or TrialStatus.Running))
            throw new UserInputException("Trial already ended", $"Trial {trial.Number} is already {trial.Status.ToString().ToLowerInvariant()}; there is nothing to cancel.", 409);
        var now = clock.GetUtcNow();
        var cancelled = await db.Trials.Where(t => t.Id == trialId && (t.Status == TrialStatus.Queued || t.Status == TrialStatus.Running))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TrialStatus.Failed)
                .SetProperty(t => t.Error, "Cancelled by an admin.")
                .SetProperty(t => t.CompletedAt, now)
                .SetProperty(t => t.LeaseOwner, (string?)null)
                .SetProperty(t => t.LeaseExpiresAt, (DateTimeOffset?)null), ct);
        if (cancelled == 0) throw new UserInputException("Trial already ended", $"Trial {trial.Number} ended meanwhile; there is nothing to cancel.", 409);
        running.StopTrial(trialId);
        await audit.HandleAsync(userId, AdminActions.TrialCancelled, trialId.ToString(), $"trial {trial.Number} of search {searchId}", ct);
        await events.PublishAsync(new TrialCompleted(searchId, trialId, trial.Number, "failed", trial.ValMetric, trial.Params, "Cancelled by an admin."));
        jobs.EnqueueSearchStep(searchId);
        await db.Entry(trial).ReloadAsync(ct);
        return trial;
    }

    /// <summary>Gives the search a new priority: its waiting trials start before those of lower-priority searches on the same device.</summary>
    public async Task<Search> SetPriorityAsync(Guid searchId, string? priority, string? userId, CancellationToken ct)
    {
        var search = await LoadAsync(searchId, ct);
        var value = SearchPriorities.Parse(priority);
        var before = search.Priority;
        search.Priority = value;
        await db.SaveChangesAsync(ct);
        await audit.HandleAsync(userId, AdminActions.SearchPriorityChanged, searchId.ToString(),
            $"from {SearchPriorities.Name(before)} to {SearchPriorities.Name(value)}", ct);
        return search;
    }

    private async Task<Search> LoadAsync(Guid searchId, CancellationToken ct) =>
        await db.Searches.SingleOrDefaultAsync(s => s.Id == searchId, ct) ?? throw UserInputException.NotFound("Search", searchId);
}
