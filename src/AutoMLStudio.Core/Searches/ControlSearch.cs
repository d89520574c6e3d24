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
            .Select(t => t.Id).ToListAsync(ct);
        foreach (var trialId in waiting) jobs.EnqueueTrial(trialId, search.Queue);
        jobs.EnqueueSearchStep(searchId);
        await audit.HandleAsync(userId, AdminActions.SearchResumed, searchId.ToString(), "resumed through the search's controls", ct);
        return search;
    }

    private async Task<Search> LoadAsync(Guid searchId, CancellationToken ct) =>
        await db.Searches.SingleOrDefaultAsync(s => s.Id == searchId, ct) ?? throw UserInputException.NotFound("Search", searchId);
}
