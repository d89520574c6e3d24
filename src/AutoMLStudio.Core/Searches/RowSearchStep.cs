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
    TimeProvider clock,
    IOptions<StudioOptions> options,
    ILogger<RowSearchStep> logger)
{
    public async Task RunAsync(Search search, CancellationToken ct)
    {
        if (search.Status == SearchStatus.Queued && !await PrepareAsync(search, ct)) return;

        var trials = await db.Trials.AsNoTracking().Where(t => t.SearchId == search.Id).OrderBy(t => t.Number).ToListAsync(ct);
        var active = trials.Count(t => t.Status is TrialStatus.Queued or TrialStatus.Running);
        var slots = options.Value.Training.SlotsFor(search.Reproducible);
        if (progress.HasBudgetLeft(search, trials) && active < slots)
        {
            await ProposeAsync(search, trials, slots - active, ct);
            return;
        }
        if (active == 0) await FinishAsync(search, trials, ct);
    }

    private async Task<bool> PrepareAsync(Search search, CancellationToken ct)
    {
        try
        {
            var data = await rows.PrepareAsync(db, search, ct);
            search.ClassesJson = JsonSerializer.Serialize(data.Classes);
            search.Status = SearchStatus.Running;
            search.StartedAt = clock.GetUtcNow();
            await progress.AddInheritedTrialsAsync(search, ct);
            await db.SaveChangesAsync(ct);
            return true;
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
        var strategy = SpaceStrategies.Create(search.Algorithm, RowTrials.Space(search.Task), search.Seed, limit);
        foreach (var done in trials.Where(t => t.Status is TrialStatus.Completed or TrialStatus.Failed or TrialStatus.Pruned))
            strategy.Tell(done.Number, RowTrials.Encode(done, search), RowTrials.Objective(done, search));

        var constraints = search.Objective().Constraints;
        for (var number = trials.Count + 1; number <= limit && slots > 0; number++, slots--)
        {
            RowTrialProposal proposal;
            try
            {
                proposal = AskWithinConstraints(p => RowTrials.Decode(p, search, data), strategy, number, constraints);
            }
            catch (UserInputException e)
            {
                await progress.NothingFitsAsync(search, trials, number, e, () => FinishAsync(search, trials, ct), ct);
                return;
            }
            var trial = new Trial { SearchId = search.Id, Number = number, ConfigJson = proposal.ConfigJson, Params = proposal.Params, Flops = proposal.Flops };
            if (!await progress.QueueAsync(search, trial, ct)) return;
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
        if (SearchProgress.Best(search, trials) is not { } best)
        {
            await progress.FailNoTrialFinishedAsync(search, trials, ct);
            return;
        }
        await progress.CompleteAsync(search, best, rowTrials.EvaluateOnTest(best, search), ct);
    }
}
