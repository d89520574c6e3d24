using System.Text.Json;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Devices;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Engine.Metrics;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Core.Searches;

/// <summary>
/// The search's coordinator, run after the search starts and after each trial ends: it reads the rows, proposes
/// trials while budget and slots allow, and when nothing is left to run it retrains the best trial on train+validation
/// where that helps (<see cref="FinalRetrain"/>) and evaluates the result once on the test split.
/// Running it twice does no harm: trial numbers are unique, and the ending writes the same result.
/// </summary>
public sealed class SearchStepJob(
    StudioDbContext db,
    IArtifactStore store,
    SearchDataStore data,
    StudioDevices devices,
    IBackgroundJobs jobs,
    CandidateProposals proposals,
    FinalRetrain finalRetrain,
    ISearchEventPublisher events,
    TimeProvider clock,
    IOptions<StudioOptions> options,
    ILogger<SearchStepJob> logger,
    RowSearchStep rowSteps)
{
    public async Task RunAsync(Guid searchId, CancellationToken ct)
    {
        var search = await db.Searches.SingleOrDefaultAsync(s => s.Id == searchId, ct);
        if (search is null || search.Status is not (SearchStatus.Queued or SearchStatus.Running)) return;
        if (SearchTasks.UsesRows(search.Task))
        {
            await rowSteps.RunAsync(search, ct);
            return;
        }

        if (search.Status == SearchStatus.Queued && !await PrepareAsync(search, ct)) return;

        var trials = await db.Trials.AsNoTracking().Where(t => t.SearchId == searchId).OrderBy(t => t.Number).ToListAsync(ct);
        var active = trials.Count(t => t.Status is TrialStatus.Queued or TrialStatus.Running);
        var slots = options.Value.Training.SlotsFor(search.Reproducible);
        if (HasBudgetLeft(search, trials) && active < slots)
        {
            await ProposeAsync(search, trials, slots - active, ct);
            return;
        }
        if (active == 0) await FinishAsync(search, trials, ct);
    }

    // maxTrials counts this search's own trials: those carried over from the search it refines come free.
    private static int TrialLimit(Search search, IReadOnlyList<Trial> trials) =>
        trials.Count(t => t.InheritedFromSearchId is not null) + search.MaxTrials;

    private bool HasBudgetLeft(Search search, IReadOnlyList<Trial> trials) =>
        trials.Count < TrialLimit(search, trials)
        && clock.GetUtcNow() < (search.StartedAt ?? clock.GetUtcNow()).AddMinutes(search.MaxMinutes);

    private async Task<bool> PrepareAsync(Search search, CancellationToken ct)
    {
        try
        {
            var prepared = await data.PrepareAsync(db, search, ct);
            search.ClassesJson = JsonSerializer.Serialize(prepared.Classes);
            search.InputSize = prepared.InputSize;
            search.InputChannels = prepared.Channels;
            search.InputStatsJson = JsonSerializer.Serialize(prepared.Stats, JsonSerializerOptions.Web);
            search.Status = SearchStatus.Running;
            search.StartedAt = clock.GetUtcNow();
            if (search.ParentSearchId is { } parentId)
            {
                // In the same save as the status, so a restarted step never carries the trials over twice.
                var parent = await db.Searches.AsNoTracking().SingleAsync(s => s.Id == parentId, ct);
                var parentTrials = await db.Trials.AsNoTracking().Where(t => t.SearchId == parentId).ToListAsync(ct);
                db.Trials.AddRange(InheritedTrials.From(search, parent, parentTrials));
            }
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            logger.LogError(ex, "Search {SearchId} could not read its dataset", search.Id);
            await FailAsync(search, $"The dataset's images could not be read ({ex.Message}). Import the dataset again.", ct);
            return false;
        }
    }

    private async Task ProposeAsync(Search search, List<Trial> trials, int slots, CancellationToken ct)
    {
        var context = search.SpaceContext();
        // Random search keeps its own sampler, so searches stored before the parameter-space strategies replay the same.
        var strategy = search.Algorithm is "random" or "nac"
            ? SearchStrategies.Create(search.Algorithm, context, search.Seed, TrialLimit(search, trials))
            : CnnSpaceSearch.Create(search.Algorithm, context, search.Seed, TrialLimit(search, trials));
        var finished = trials.Where(t => t.Status is TrialStatus.Completed or TrialStatus.Failed or TrialStatus.Pruned).ToList();
        var objectives = TradeOffs.Objectives(search, finished, trials.Count + 1);
        foreach (var done in finished)
            strategy.Tell(new TrialObservation(done.Number, done.Config(), objectives[done.Id],
                Path.Combine(store.FullPath(done.Checkpoints()), ImageClassifierTrainer.BestWeightsFile)));

        var objective = search.Objective();
        for (var number = trials.Count + 1; number <= TrialLimit(search, trials) && slots > 0; number++, slots--)
        {
            Candidate candidate;
            try
            {
                candidate = proposals.Ask(strategy, number, objective.Constraints, search.Queue, objective.TradeOff == TradeOffs.Latency);
            }
            catch (UserInputException e)
            {
                // No candidate fits the limits: nothing can be trained at all, or the search ends with the trials it has.
                logger.LogWarning("Search {SearchId}: {Problem}", search.Id, e.Detail);
                var nothingRuns = number == trials.Count + 1 && trials.All(t => t.Status is not (TrialStatus.Queued or TrialStatus.Running));
                if (trials.Count == 0) await FailAsync(search, $"{e.Title}: {e.Detail}", ct);
                else if (nothingRuns) await FinishAsync(search, trials, ct);
                return;
            }
            var config = candidate.Config;
            var trial = new Trial
            {
                SearchId = search.Id,
                Number = number,
                ConfigJson = JsonSerializer.Serialize(config, EngineJson.Options),
                Params = CnnSearchSpace.CountParameters(config.Architecture),
                Flops = CnnSearchSpace.CountFlops(config.Architecture),
                LatencyMs = candidate.LatencyMs,
            };
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
            logger.LogInformation("Search {SearchId}: trial {Number} ({TrialId}) queued on {Queue}", search.Id, number, trial.Id, search.Queue);
        }
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

        var searchData = data.Load(search.Id, search.Classes());
        var weights = await finalRetrain.RunAsync(search, best, searchData, ct);
        var result = ImageClassifierTrainer.Evaluate(best.Config().Architecture, weights, searchData.Test, devices.TorchDeviceFor(search.Queue));
        var evaluation = Score(search.EngineObjective(), result, searchData.Classes);

        search.BestTrialId = best.Id;
        search.TestEvaluationJson = JsonSerializer.Serialize(evaluation, JsonSerializerOptions.Web);
        search.Status = SearchStatus.Completed;
        search.CompletedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Search {SearchId} completed: best trial {TrialId}, test accuracy {Accuracy:P1}, test {Metric} {Value}",
            search.Id, best.Id, result.Accuracy, metric.Name, evaluation.MetricValue);
        await events.PublishAsync(new SearchCompleted(search.Id, "completed", best.Id, result.Accuracy, null));
    }

    private static TestEvaluation Score(Objective objective, EvaluationResult result, IReadOnlyList<string> classes)
    {
        var confusion = new ConfusionMatrix(result.ConfusionMatrix);
        return new TestEvaluation(result.Accuracy, result.Loss, classes, result.ConfusionMatrix, result.Count, objective.Metric.Name,
            objective.Score(confusion), ClassificationMetrics.MacroF1(confusion),
            objective.CostMatrix is { } cost ? ClassificationMetrics.ExpectedCost(confusion, cost) : null, ClassTestScores.From(confusion, classes));
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
