using System.Text.Json;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Devices;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Core.Searches;

/// <summary>
/// The search's coordinator, run after the search starts and after each trial ends: it reads the rows, proposes
/// trials while budget and slots allow, and when nothing is left to run it evaluates the best trial on the test split.
/// Running it twice does no harm: trial numbers are unique, and the ending writes the same result.
/// </summary>
public sealed class SearchStepJob(
    StudioDbContext db,
    IArtifactStore store,
    SearchDataStore data,
    StudioDevices devices,
    IBackgroundJobs jobs,
    ISearchEventPublisher events,
    TimeProvider clock,
    IOptions<StudioOptions> options,
    ILogger<SearchStepJob> logger)
{
    public async Task RunAsync(Guid searchId, CancellationToken ct)
    {
        var search = await db.Searches.SingleOrDefaultAsync(s => s.Id == searchId, ct);
        if (search is null || search.Status is not (SearchStatus.Queued or SearchStatus.Running)) return;

        if (search.Status == SearchStatus.Queued && !await PrepareAsync(search, ct)) return;

        var trials = await db.Trials.AsNoTracking().Where(t => t.SearchId == searchId).OrderBy(t => t.Number).ToListAsync(ct);
        var active = trials.Count(t => t.Status is TrialStatus.Queued or TrialStatus.Running);
        if (HasBudgetLeft(search, trials.Count) && active < options.Value.Training.CpuSlotCount)
        {
            await ProposeAsync(search, trials, options.Value.Training.CpuSlotCount - active, ct);
            return;
        }
        if (active == 0) await FinishAsync(search, trials, ct);
    }

    private bool HasBudgetLeft(Search search, int trialCount) =>
        trialCount < search.MaxTrials
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
        var strategy = search.Algorithm == "random"
            ? SearchStrategies.Create(search.Algorithm, context, search.Seed)
            : CnnSpaceSearch.Create(search.Algorithm, context, search.Seed, search.MaxTrials);
        foreach (var done in trials.Where(t => t.Status is TrialStatus.Completed or TrialStatus.Failed or TrialStatus.Pruned))
            strategy.Tell(new TrialObservation(done.Number, done.Config(), done.Status == TrialStatus.Completed ? done.ValMetric : null));

        var constraints = search.Objective().Constraints;
        for (var number = trials.Count + 1; number <= search.MaxTrials && slots > 0; number++, slots--)
        {
            var config = AskWithinConstraints(strategy, number, constraints);
            var trial = new Trial
            {
                SearchId = search.Id,
                Number = number,
                ConfigJson = JsonSerializer.Serialize(config, EngineJson.Options),
                Params = CnnSearchSpace.CountParameters(config.Architecture),
                Flops = CnnSearchSpace.CountFlops(config.Architecture),
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

    // Parameter and FLOP limits are computed before training, so a candidate that breaks one is never trained.
    private static TrialConfig AskWithinConstraints(ISearchStrategy strategy, int number, ConstraintsRequest? constraints)
    {
        for (var attempt = 0; attempt < 500; attempt++)
        {
            var config = strategy.Ask(number + attempt * 100_003);
            if ((constraints?.MaxParams is not { } maxParams || CnnSearchSpace.CountParameters(config.Architecture) <= maxParams)
                && (constraints?.MaxFlops is not { } maxFlops || CnnSearchSpace.CountFlops(config.Architecture) <= maxFlops))
                return config;
        }
        throw new UserInputException("Constraints too tight",
            "No architecture in the search space fits the parameter or FLOP limit. Raise 'maxParams' or 'maxFlops'.");
    }

    private async Task FinishAsync(Search search, List<Trial> trials, CancellationToken ct)
    {
        var best = trials.Where(t => t.Status == TrialStatus.Completed && t.ValMetric is not null)
            .OrderByDescending(t => t.ValMetric).ThenBy(t => t.ValLoss ?? double.MaxValue).ThenBy(t => t.Number).FirstOrDefault();
        if (best is null)
        {
            var firstError = trials.Select(t => t.Error).FirstOrDefault(e => e is not null);
            await FailAsync(search, "No trial finished training" + (firstError is null ? "." : $": {firstError}"), ct);
            return;
        }

        var searchData = data.Load(search.Id, search.Classes());
        var weights = Path.Combine(store.FullPath(ArtifactPaths.TrialCheckpoints(search.Id, best.Id)), "best.weights");
        var result = ImageClassifierTrainer.Evaluate(best.Config().Architecture, weights, searchData.Test, devices.TorchDeviceFor(search.Queue));
        var evaluation = new TestEvaluation(result.Accuracy, result.Loss, searchData.Classes, result.ConfusionMatrix, result.Count);

        search.BestTrialId = best.Id;
        search.TestEvaluationJson = JsonSerializer.Serialize(evaluation, JsonSerializerOptions.Web);
        search.Status = SearchStatus.Completed;
        search.CompletedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Search {SearchId} completed: best trial {TrialId}, test accuracy {Accuracy:P1}", search.Id, best.Id, result.Accuracy);
        await events.PublishAsync(new SearchCompleted(search.Id, "completed", best.Id, result.Accuracy, null));
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
