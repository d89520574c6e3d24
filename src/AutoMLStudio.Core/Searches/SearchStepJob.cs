using System.Text.Json;
using AutoMLStudio.Core.Backbones;
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
/// trials while budget and slots allow, and when nothing is left to run it retrains the best trial on train+validation
/// where that helps (<see cref="FinalRetrain"/>) and evaluates the result once on the test split.
/// Running it twice does no harm: trial numbers are unique, and the ending writes the same result.
/// </summary>
public sealed class SearchStepJob(
    StudioDbContext db,
    IArtifactStore store,
    SearchDataStore data,
    StudioDevices devices,
    CandidateProposals proposals,
    FinalRetrain finalRetrain,
    FinishingSearches finishing,
    SearchProgress progress,
    IOptions<StudioOptions> options,
    ILogger<SearchStepJob> logger,
    RowSearchStep rowSteps,
    BudgetPlan budgetPlan)
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
        var stop = search.EndReasonCode is { } ended ? (ended, search.EndReason)
            : progress.WhyStop(search, trials, await finalRetrain.ReserveSecondsAsync(search, trials, ct));
        if (stop is null && active < slots)
        {
            await budgetPlan.ReplanAsync(search, trials, ct);
            await ProposeAsync(search, trials, slots - active, ct);
            return;
        }
        if (stop is { } reason) await progress.StopProposingAsync(search, reason, ct);
        if (active == 0) await FinishAsync(search, trials, ct);
    }

    private async Task<bool> PrepareAsync(Search search, CancellationToken ct)
    {
        try
        {
            var starting = await StartingModelOfAsync(search, ct);
            var prepared = await data.PrepareAsync(db, search, ct,
                starting is null ? null : (starting.Architecture.InputSize, starting.Architecture.InputChannels));
            search.ClassesJson = JsonSerializer.Serialize(prepared.Classes);
            search.InputSize = prepared.InputSize;
            search.InputChannels = prepared.Channels;
            search.InputStatsJson = JsonSerializer.Serialize(prepared.Stats, JsonSerializerOptions.Web);
            await progress.AddInheritedTrialsAsync(search, ct);
            return await progress.StartAsync(search, ct);
        }
        catch (UserInputException ex)
        {
            // The starting model was deleted or its files changed after the search was queued.
            await progress.FailAsync(search, ex.Detail, ct);
            return false;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            logger.LogError(ex, "Search {SearchId} could not read its dataset", search.Id);
            await progress.FailAsync(search, $"The dataset's images could not be read ({ex.Message}). Import the dataset again.", ct);
            return false;
        }
    }

    private async Task ProposeAsync(Search search, List<Trial> trials, int slots, CancellationToken ct)
    {
        var context = search.SpaceContext();
        // Random search keeps its own sampler, so searches stored before the parameter-space strategies replay the same.
        var strategy = search.Algorithm is "random" or "nac"
            ? SearchStrategies.Create(search.Algorithm, context, search.Seed, search.ExpectedTrials(trials))
            : CnnSpaceSearch.Create(search.Algorithm, context, search.Seed, search.ExpectedTrials(trials));
        if (await StartingModelOfAsync(search, ct) is { } starting)
            strategy = new FineTuneStrategy(strategy, starting.ArchitectureFor(search.Classes().Count), search.Seed);
        // NAC grows its own networks from an envelope within a planned number of trials; backbones would take its slots.
        else if (search.UsePretrained && search.Algorithm != "nac"
                 && await BackboneWeightsFile.AvailableAsync(db, context.InputChannels, context.InputSize, ct) is { Count: > 0 } backbones)
            strategy = new BackboneCandidates(strategy, backbones, search.Seed);
        var finished = trials.Where(t => t.Status is TrialStatus.Completed or TrialStatus.Failed or TrialStatus.Pruned).ToList();
        var objectives = TradeOffs.Objectives(search, finished, trials.Count + 1);
        foreach (var done in finished)
            strategy.Tell(new TrialObservation(done.Number, done.Config(), objectives[done.Id],
                Path.Combine(store.FullPath(done.Checkpoints()), ImageClassifierTrainer.BestWeightsFile)));

        var objective = search.Objective();
        for (var number = trials.Count + 1; number <= SearchProgress.TrialLimit(search, trials) && slots > 0; number++, slots--)
        {
            Candidate candidate;
            try
            {
                candidate = proposals.Ask(strategy, number, objective.Constraints, search.Queue, objective.TradeOff == TradeOffs.Latency);
            }
            catch (UserInputException e)
            {
                await progress.NothingFitsAsync(search, trials, number, e, () => FinishAsync(search, trials, ct), ct);
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
            if (!await progress.QueueAsync(search, trial, ct)) return;
        }
    }

    private async Task<StartingModel?> StartingModelOfAsync(Search search, CancellationToken ct) =>
        search.StartFromModelVersionId is { } versionId ? await StartingModel.LoadAsync(db, store, versionId, ct) : null;

    private async Task FinishAsync(Search search, List<Trial> trials, CancellationToken ct)
    {
        if (SearchProgress.Best(search, trials) is not { } best)
        {
            await progress.FailNoTrialFinishedAsync(search, trials, ct);
            return;
        }

        if (!finishing.TryStart(search.Id)) return;
        try
        {
            var searchData = data.Load(search.Id, search.Classes());
            var weights = await finalRetrain.RunAsync(search, best, searchData, ct);
            var result = ImageClassifierTrainer.Evaluate(best.Config().Architecture, weights, searchData.Test, devices.TorchDeviceFor(search.Queue));
            var evaluation = TestEvaluation.ForClassifier(search.EngineObjective(), result.Loss, searchData.Classes, result.ConfusionMatrix);
            var predictions = TestPredictions.From(searchData.Classes, searchData.TestItemIds, searchData.Test.Labels, result.Probabilities);
            await progress.CompleteAsync(search, best, evaluation, predictions, ct);
        }
        finally
        {
            finishing.Done(search.Id);
        }
    }

}
