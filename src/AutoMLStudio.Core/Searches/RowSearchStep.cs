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
/// ranks trials in the metric's direction (rmse, mae and cost: lower is better).
/// </summary>
public sealed class RowSearchStep(
    StudioDbContext db,
    RowSearchDataStore rows,
    RowTrials rowTrials,
    SearchProgress progress,
    IOptions<StudioOptions> options,
    ILogger<RowSearchStep> logger,
    BudgetPlan budgetPlan)
{
    public async Task RunAsync(Search search, CancellationToken ct)
    {
        if (search.Status == SearchStatus.Queued && !await PrepareAsync(search, ct)) return;

        var trials = await db.Trials.AsNoTracking().Where(t => t.SearchId == search.Id).OrderBy(t => t.Number).ToListAsync(ct);
        var active = trials.Count(t => t.Status is TrialStatus.Queued or TrialStatus.Running);
        var slots = options.Value.Training.SlotsFor(search.Reproducible);
        // Tables and texts have no final retrain, so nothing is reserved for one.
        var stop = search.EndReasonCode is { } ended ? (ended, search.EndReason) : progress.WhyStop(search, trials);
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
            var data = await rows.PrepareAsync(db, search, ct);
            search.ClassesJson = JsonSerializer.Serialize(data.Classes);
            await progress.AddInheritedTrialsAsync(search, ct);
            return await progress.StartAsync(search, ct);
        }
        catch (ArgumentException ex)
        {
            // The preprocessing found nothing to learn from (every column an identifier, say): a state, told in words.
            logger.LogWarning(ex, "Search {SearchId} has no usable input", search.Id);
            await progress.FailAsync(search, $"The data cannot be trained on: {ex.Message} Change the column types on the dataset page and start again.", ct);
            return false;
        }
    }

    private async Task ProposeAsync(Search search, List<Trial> trials, int slots, CancellationToken ct)
    {
        var data = rows.Load(search.Id);
        var limit = SearchProgress.TrialLimit(search, trials);
        var strategy = SpaceStrategies.Create(search.Algorithm, RowTrials.Space(search.Task), search.Seed, search.ExpectedTrials(trials));
        var finished = trials.Where(t => t.Status is TrialStatus.Completed or TrialStatus.Failed or TrialStatus.Pruned).ToList();
        var objectives = TradeOffs.Objectives(search, finished, trials.Count + 1);
        foreach (var done in finished)
            strategy.Tell(done.Number, RowTrials.Encode(done, search), objectives[done.Id]);

        var objective = search.Objective();
        var measureLatency = objective.Constraints?.MaxLatencyMs is not null || objective.TradeOff == TradeOffs.Latency;
        for (var number = trials.Count + 1; number <= limit && slots > 0; number++, slots--)
        {
            (RowTrialProposal Proposal, double? LatencyMs) candidate;
            try
            {
                candidate = AskWithinConstraints(p => RowTrials.Decode(p, search, data), strategy, number, objective.Constraints,
                    measureLatency ? proposal => rowTrials.LatencyMs(proposal.ConfigJson, search) : null);
            }
            catch (UserInputException e)
            {
                await progress.NothingFitsAsync(search, trials, number, e, () => FinishAsync(search, trials, ct), ct);
                return;
            }
            var (proposal, latency) = candidate;
            var trial = new Trial
            {
                SearchId = search.Id, Number = number, ConfigJson = proposal.ConfigJson, Params = proposal.Params, Flops = proposal.Flops, LatencyMs = latency,
            };
            if (!await progress.QueueAsync(search, trial, ct)) return;
        }
    }

    // Parameters and FLOPs are counted and latency measured (untrained) before training, so a candidate that breaks a
    // limit is never trained.
    private static (RowTrialProposal, double?) AskWithinConstraints(Func<ParameterSet, RowTrialProposal> decode, ISpaceStrategy strategy, int number,
        ConstraintsRequest? constraints, Func<RowTrialProposal, double>? latencyOf)
    {
        for (var attempt = 0; attempt < 500; attempt++)
        {
            var proposal = decode(strategy.Ask(number + attempt * SearchStrategies.RetryStride));
            if (proposal.Params > (constraints?.MaxParams ?? long.MaxValue) || proposal.Flops > (constraints?.MaxFlops ?? long.MaxValue)) continue;
            double? latency = latencyOf?.Invoke(proposal);
            if (latency > (constraints?.MaxLatencyMs ?? double.MaxValue)) continue;
            return (proposal, latency);
        }
        throw new UserInputException("Constraints too tight",
            "No model in the search space fits the parameter, FLOP or latency limit. Raise 'maxParams', 'maxFlops' or 'maxLatencyMs'.");
    }

    private async Task FinishAsync(Search search, List<Trial> trials, CancellationToken ct)
    {
        if (SearchProgress.Best(search, trials) is not { } best)
        {
            await progress.FailNoTrialFinishedAsync(search, trials, ct);
            return;
        }
        var (evaluation, predictions) = rowTrials.EvaluateOnTest(best, search);
        await progress.CompleteAsync(search, best, evaluation, predictions, ct);
    }
}
