using System.Text.Json;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Engine.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Core.Searches;

/// <summary>
/// <see cref="SearchStepJob"/> for tabular and text searches: the same propose-train-finish rounds, over the tabular or
/// text space with the ask/tell strategies, the rows prepared by <see cref="RowSearchDataStore"/>, and an ending that
/// ranks trials in the metric's direction (rmse and mae: lower is better).
/// </summary>
public sealed class RowSearchStep(
    StudioDbContext db,
    RowSearchDataStore rows,
    RowTrials rowTrials,
    IBackgroundJobs jobs,
    ISearchEventPublisher events,
    TimeProvider clock,
    IOptions<StudioOptions> options,
    ILogger<RowSearchStep> logger)
{
    public async Task RunAsync(Search search, CancellationToken ct)
    {
        if (search.Status == SearchStatus.Queued && !await PrepareAsync(search, ct)) return;

        var trials = await db.Trials.AsNoTracking().Where(t => t.SearchId == search.Id).OrderBy(t => t.Number).ToListAsync(ct);
        var active = trials.Count(t => t.Status is TrialStatus.Queued or TrialStatus.Running);
        var slots = options.Value.Training.SlotsFor(search.Reproducible) - active;
        var deadline = (search.StartedAt ?? clock.GetUtcNow()).AddMinutes(search.MaxMinutes);
        if (trials.Count < search.MaxTrials && clock.GetUtcNow() < deadline && slots > 0)
            await ProposeAsync(search, trials, slots, ct);
        else if (active == 0)
            await FinishAsync(search, trials, ct);
    }

    private async Task<bool> PrepareAsync(Search search, CancellationToken ct)
    {
        try
        {
            var data = await rows.PrepareAsync(db, search, ct);
            search.ClassesJson = JsonSerializer.Serialize(data.Classes);
            search.Status = SearchStatus.Running;
            search.StartedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (ArgumentException ex)
        {
            // The preprocessing found nothing to learn from (every column an identifier, say): a state, told in words.
            logger.LogWarning(ex, "Search {SearchId} has no usable input", search.Id);
            await FailAsync(search, $"The data cannot be trained on: {ex.Message} Change the column types on the dataset page and start again.", ct);
            return false;
        }
    }

    private async Task ProposeAsync(Search search, List<Trial> trials, int slots, CancellationToken ct)
    {
        var data = rows.Load(search.Id);
        var strategy = SpaceStrategies.Create(search.Algorithm, RowTrials.Space(search.Task), search.Seed, search.MaxTrials);
        foreach (var done in trials.Where(t => t.Status is TrialStatus.Completed or TrialStatus.Failed or TrialStatus.Pruned))
            strategy.Tell(done.Number, RowTrials.Encode(done, search), RowTrials.Objective(done, search));

        var constraints = search.Objective().Constraints;
        for (var number = trials.Count + 1; number <= search.MaxTrials && slots > 0; number++, slots--)
        {
            RowTrialProposal proposal;
            try
            {
                proposal = AskWithinConstraints(p => RowTrials.Decode(p, search, data), strategy, number, constraints);
            }
            catch (UserInputException e)
            {
                // No candidate fits the limits: nothing can be trained at all, or the search ends with the trials it has.
                logger.LogWarning("Search {SearchId}: {Problem}", search.Id, e.Detail);
                if (trials.Count == 0) await FailAsync(search, $"{e.Title}: {e.Detail}", ct);
                else if (number == trials.Count + 1 && trials.All(t => t.Status is not (TrialStatus.Queued or TrialStatus.Running))) await FinishAsync(search, trials, ct);
                return;
            }
            var trial = new Trial { SearchId = search.Id, Number = number, ConfigJson = proposal.ConfigJson, Params = proposal.Params, Flops = proposal.Flops };
            db.Trials.Add(trial);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another delivery of this step proposed the same number first; it owns the rest of this round.
                logger.LogInformation("Search {SearchId}: trial {Number} already proposed elsewhere", search.Id, number);
                return;
            }
            trial.JobId = jobs.EnqueueTrial(trial.Id, search.Queue);
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Search {SearchId}: {Task} trial {Number} ({TrialId}) queued on {Queue}", search.Id, search.Task, number, trial.Id, search.Queue);
        }
    }

    // Parameter and FLOP limits are computed before training, so a candidate that breaks one is never trained.
    private static RowTrialProposal AskWithinConstraints(Func<ParameterSet, RowTrialProposal> decode, ISpaceStrategy strategy, int number, ConstraintsRequest? constraints)
    {
        for (var attempt = 0; attempt < 500; attempt++)
        {
            var proposal = decode(strategy.Ask(number + attempt * SearchStrategies.RetryStride));
            if (proposal.Params <= (constraints?.MaxParams ?? long.MaxValue) && proposal.Flops <= (constraints?.MaxFlops ?? long.MaxValue))
                return proposal;
        }
        throw new UserInputException("Constraints too tight",
            "No model in the search space fits the parameter or FLOP limit. Raise 'maxParams' or 'maxFlops'.");
    }

    private async Task FinishAsync(Search search, List<Trial> trials, CancellationToken ct)
    {
        var metric = search.MetricDefinition();
        var best = trials.Where(t => t.Status == TrialStatus.Completed && t.ValMetric is not null)
            .OrderByDescending(t => metric.Maximised(t.ValMetric!.Value)).ThenBy(t => t.ValLoss ?? double.MaxValue).ThenBy(t => t.Number).FirstOrDefault();
        if (best is null)
        {
            var firstError = trials.Select(t => t.Error).FirstOrDefault(e => e is not null);
            await FailAsync(search, "No trial finished training" + (firstError is null ? "." : $": {firstError}"), ct);
            return;
        }

        var evaluation = rowTrials.EvaluateOnTest(best, search);
        search.BestTrialId = best.Id;
        search.TestEvaluationJson = JsonSerializer.Serialize(evaluation, JsonSerializerOptions.Web);
        search.Status = SearchStatus.Completed;
        search.CompletedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Search {SearchId} completed: best trial {TrialId}, test {Metric} {Value}", search.Id, best.Id, metric.Name, evaluation.MetricValue);
        await events.PublishAsync(new SearchCompleted(search.Id, "completed", best.Id, evaluation.Rmse is null ? evaluation.Accuracy : null, null));
    }

    private async Task FailAsync(Search search, string error, CancellationToken ct)
    {
        search.Status = SearchStatus.Failed;
        search.Error = error;
        search.CompletedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await events.PublishAsync(new SearchCompleted(search.Id, "failed", null, null, error));
    }
}
