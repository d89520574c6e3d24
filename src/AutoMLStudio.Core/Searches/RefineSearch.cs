using AutoMLStudio.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Searches;

/// <param name="Objective">A full objective that replaces the parent's (metric, cost matrix, constraints, trade-off); null keeps the parent's.</param>
/// <param name="Budget">The budget for new trials only (maxTrials counts new trials); fields left out take the parent's, and a limit the parent did not have stays unset.</param>
/// <param name="Algorithm">As for a new search; null lets the studio choose.</param>
public sealed record RefineSearchRequest(ObjectiveRequest? Objective, BudgetRequest? Budget, string? Algorithm);

/// <summary>
/// Starts a search that refines a finished one: same dataset version (so the same split, and re-scoring on validation is
/// fair), the parent's objective or a new one. Its first step carries the parent's completed trials over, re-scored under
/// the new objective (see <see cref="InheritedTrials"/>), so the new budget goes to new candidates only.
/// </summary>
public sealed class RefineSearch(StudioDbContext db, StartSearch start)
{
    public async Task<Search> HandleAsync(Guid parentId, RefineSearchRequest request, string? userId, CancellationToken ct)
    {
        var parent = await db.Searches.AsNoTracking().SingleOrDefaultAsync(s => s.Id == parentId, ct)
                     ?? throw UserInputException.NotFound("Search", parentId);
        var finished = await db.Trials.CountAsync(t => t.SearchId == parentId && t.Status == TrialStatus.Completed, ct);
        if (!(parent.Status == SearchStatus.Completed || (parent.Status == SearchStatus.Cancelled && finished > 0)))
            throw new UserInputException("Search not finished",
                $"Only a completed search (or a cancelled one with finished trials) can be refined; this one is {parent.Status.ToString().ToLowerInvariant()}"
                + (parent.Status == SearchStatus.Cancelled ? " and has no finished trial." : ". Wait until it completes, or cancel it first."), 409);

        var budget = new BudgetRequest(request.Budget?.MaxTrials ?? parent.MaxTrials, request.Budget?.MaxMinutes ?? parent.MaxMinutes,
            request.Budget?.MaxEpochsPerTrial ?? parent.MaxEpochsPerTrial);
        var startRequest = new StartSearchRequest(parent.DatasetId, parent.Task.Name(), request.Objective ?? parent.Objective, budget,
            request.Algorithm, parent.Reproducible ? parent.Seed : null, parent.DatasetVersionId, UsePretrained: parent.UsePretrained);
        return await start.HandleAsync(startRequest, userId, ct, parentSearchId: parent.Id);
    }
}
