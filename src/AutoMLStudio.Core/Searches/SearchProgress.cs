using System.Text.Json;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Devices;
using AutoMLStudio.Core.Searches.Pipelines;
using AutoMLStudio.Engine.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Core.Searches;

/// <summary>
/// What every kind of search shares between proposing trials and its end: the trial budget (carried-over trials come
/// free), queueing a proposed trial exactly once, choosing the best trial, and recording the outcome.
/// </summary>
public sealed class SearchProgress(
    StudioDbContext db, IBackgroundJobs jobs, ISearchEventPublisher events, TestPredictionStore testPredictions, TimeProvider clock,
    DeviceInventory inventory, IOptions<StudioOptions> options, ILogger<SearchProgress> logger)
{
    /// <summary>Stands for "no trial limit": the search proposes until its minutes are spent or it converges.</summary>
    public const int NoTrialLimit = 1_000_000;

    /// <summary>maxTrials counts this search's own trials: those carried over from the search it refines come free.</summary>
    public static int TrialLimit(Search search, IReadOnlyList<Trial> trials) =>
        trials.Count(t => t.InheritedFromSearchId is not null) + (search.MaxTrials ?? NoTrialLimit);

    /// <summary>
    /// Why the search proposes no more trials (a <see cref="SearchEndReasons"/> code and, for convergence, the sentence);
    /// null while it has budget left. <paramref name="reserveSeconds"/> is kept free at the end for the final retrain.
    /// </summary>
    public (SearchEndReason Code, string? Detail)? WhyStop(Search search, IReadOnlyList<Trial> trials, double reserveSeconds = 0)
    {
        var now = clock.GetUtcNow();
        if (trials.Count >= TrialLimit(search, trials)) return (SearchEndReasons.Trials, null);
        if (now.AddSeconds(reserveSeconds) >= (search.StartedAt ?? now).AddMinutes(search.MaxMinutes)) return (SearchEndReasons.Minutes, null);
        return Convergence.Check(search, trials, options.Value.Training.Convergence, now) is { } converged
            ? (SearchEndReasons.Converged, converged)
            : null;
    }

    /// <summary>Records which limit ended the search the first time the step finds one; the sentence is completed at the end.</summary>
    public async Task StopProposingAsync(Search search, (SearchEndReason Code, string? Detail) reason, CancellationToken ct)
    {
        if (search.EndReasonCode is not null) return;
        search.EndReasonCode = reason.Code;
        search.EndReason = reason.Detail;
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Search {SearchId} proposes no more trials: {Reason}", search.Id, reason.Detail ?? reason.Code.Name());
    }

    /// <summary>The completed trial with the best validation value in the metric's direction (lower loss, then lower number, on ties).</summary>
    public static Trial? Best(Search search, IEnumerable<Trial> trials)
    {
        var metric = search.MetricDefinition();
        return trials.Where(t => t.Status == TrialStatus.Completed && t.ValMetric is not null)
            .OrderByDescending(t => metric.Maximised(t.ValMetric!.Value)).ThenBy(t => t.ValLoss ?? double.MaxValue).ThenBy(t => t.Number).FirstOrDefault();
    }

    /// <summary>
    /// Saves what preparing the search changed and marks it running, unless it was paused or cancelled while its data
    /// was prepared: that status was written by another request meanwhile, and must not be overwritten by this step's
    /// earlier copy of the row. Returns whether the search runs.
    /// </summary>
    public async Task<bool> StartAsync(Search search, CancellationToken ct)
    {
        // One transaction: a step restarted after a crash between the two writes would carry inherited trials over twice.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        var now = clock.GetUtcNow();
        var started = await db.Searches.Where(s => s.Id == search.Id && s.Status == SearchStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SearchStatus.Running).SetProperty(x => x.StartedAt, now), ct);
        if (started == 0)
        {
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return false;
        }
        await transaction.CommitAsync(ct);
        var entry = db.Entry(search);
        entry.Property(s => s.Status).CurrentValue = entry.Property(s => s.Status).OriginalValue = SearchStatus.Running;
        entry.Property(s => s.StartedAt).CurrentValue = entry.Property(s => s.StartedAt).OriginalValue = now;
        return true;
    }

    /// <summary>Adds the parent's trials, re-scored; saved by <see cref="StartAsync"/> with the status change to running.</summary>
    public async Task AddInheritedTrialsAsync(Search search, CancellationToken ct)
    {
        if (search.ParentSearchId is not { } parentId) return;
        var parent = await db.Searches.AsNoTracking().SingleAsync(s => s.Id == parentId, ct);
        var parentTrials = await db.Trials.AsNoTracking().Where(t => t.SearchId == parentId).ToListAsync(ct);
        db.Trials.AddRange(InheritedTrials.From(search, parent, parentTrials));
    }

    /// <summary>
    /// Places <paramref name="trial"/> on the device where it fits (<see cref="TrialPlacement"/>), saves and queues it;
    /// false when another delivery of the step proposed its number first.
    /// </summary>
    public async Task<bool> QueueAsync(Search search, Trial trial, CancellationToken ct)
    {
        trial.MemoryBytes = TaskPipelines.ShapeOf(search.Task).MemoryBytes(trial);
        var placement = TrialPlacement.Choose(trial.MemoryBytes ?? 0, await inventory.QueuesAsync(ct), search.Queue);
        trial.Queue = placement.Queue;
        db.Trials.Add(trial);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // That delivery owns the rest of this round.
            db.Entry(trial).State = EntityState.Detached;
            logger.LogInformation("Search {SearchId}: trial {Number} already proposed elsewhere", search.Id, trial.Number);
            return false;
        }
        trial.JobId = jobs.EnqueueTrial(trial.Id, trial.Queue);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Search {SearchId}: {Task} trial {Number} ({TrialId}) queued on {Queue}: {Reason}",
            search.Id, search.Task.Name(), trial.Number, trial.Id, trial.Queue, placement.Reason);
        return true;
    }

    /// <summary>
    /// Records the final model's test evaluation and ends the search. The per-example <paramref name="predictions"/> (none for
    /// regression) are written first, so a completed search always has them.
    /// </summary>
    public async Task CompleteAsync(Search search, Trial best, TestEvaluation evaluation, TestPredictions? predictions, CancellationToken ct)
    {
        if (predictions is not null) await testPredictions.WriteAsync(search.Id, predictions, ct);
        else logger.LogInformation("Search {SearchId} keeps no test predictions: a regression, or data prepared before item ids were kept", search.Id);
        search.BestTrialId = best.Id;
        var code = search.EndReasonCode ?? SearchEndReasons.Minutes;
        var own = await db.Trials.CountAsync(t => t.SearchId == search.Id && t.InheritedFromSearchId == null, ct);
        search.EndReasonCode = code;
        search.EndReason = SearchEndReasons.Message(code, search, own, search.EndReason)
                           + (search.FinalRetrain is { State: FinalRetrainState.Skipped, Reason: var why } && why.StartsWith(FinalRetrain.SkippedForTime, StringComparison.Ordinal)
                               ? " The retrain on train+validation was skipped to stay within the minutes." : "");
        search.TestEvaluation = evaluation;
        search.Status = SearchStatus.Completed;
        search.CompletedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Search {SearchId} completed: best trial {TrialId}, test {Metric} {Value}", search.Id, best.Id, evaluation.Metric, evaluation.MetricValue);
        await events.PublishAsync(new SearchCompleted(search.Id, "completed", best.Id, evaluation.Rmse is null ? evaluation.Accuracy : null, null));
    }

    /// <summary>No trial finished: the search fails with the first trial error, so the user sees why.</summary>
    public Task FailNoTrialFinishedAsync(Search search, IEnumerable<Trial> trials, CancellationToken ct)
    {
        var firstError = trials.Select(t => t.Error).FirstOrDefault(e => e is not null);
        return FailAsync(search, "No trial finished training" + (firstError is null ? "." : $": {firstError}"), ct);
    }

    public async Task FailAsync(Search search, string error, CancellationToken ct)
    {
        search.Status = SearchStatus.Failed;
        search.Error = error;
        search.EndReasonCode = SearchEndReasons.Failed;
        search.EndReason = error;
        search.CompletedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await events.PublishAsync(new SearchCompleted(search.Id, "failed", null, null, error));
    }

    /// <summary>
    /// No candidate fits the limits: with no trial at all the search fails with the reason; when this round would have
    /// been the next and nothing runs, it ends with the trials it has (<paramref name="finish"/>); otherwise a running
    /// trial's end calls the step again.
    /// </summary>
    public async Task NothingFitsAsync(Search search, IReadOnlyList<Trial> trials, int number, UserInputException problem, Func<Task> finish, CancellationToken ct)
    {
        logger.LogWarning("Search {SearchId}: {Problem}", search.Id, problem.Detail);
        var nothingRuns = number == trials.Count + 1 && trials.All(t => t.Status is not (TrialStatus.Queued or TrialStatus.Running));
        if (trials.Count == 0) await FailAsync(search, $"{problem.Title}: {problem.Detail}", ct);
        else if (nothingRuns)
        {
            if (search.EndReasonCode is null) await StopProposingAsync(search, (SearchEndReasons.NothingFits, problem.Detail), ct);
            await finish();
        }
    }
}
