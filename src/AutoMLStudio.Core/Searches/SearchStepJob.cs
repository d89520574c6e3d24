using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Searches.Pipelines;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Core.Searches;

/// <summary>
/// The search's coordinator, run after the search starts and after each trial ends: it reads the rows, proposes
/// trials while budget and slots allow, and when nothing is left to run it has the task's pipeline evaluate the best
/// trial once on the test split (a table search first adds an ensemble of its best trials when that beats them, an image
/// search retrains the best on train+validation first, <see cref="FinalRetrain"/>).
/// Every task runs through here; what differs by task is in its <see cref="ITaskPipeline"/>.
/// Running it twice does no harm: trial numbers are unique, and the ending writes the same result.
/// </summary>
public sealed class SearchStepJob(
    StudioDbContext db,
    TaskPipelines pipelines,
    FinishingSearches finishing,
    SearchProgress progress,
    IOptions<StudioOptions> options,
    BudgetPlan budgetPlan)
{
    public async Task RunAsync(Guid searchId, CancellationToken ct)
    {
        var search = await db.Searches.SingleOrDefaultAsync(s => s.Id == searchId, ct);
        if (search is null || search.Status is not (SearchStatus.Queued or SearchStatus.Running)) return;
        var pipeline = pipelines.For(search.Task);
        if (search.Status == SearchStatus.Queued && !await PrepareAsync(pipeline, search, ct)) return;

        var trials = await db.Trials.AsNoTracking().Where(t => t.SearchId == searchId).OrderBy(t => t.Number).ToListAsync(ct);
        var active = trials.Count(t => t.Status is TrialStatus.Queued or TrialStatus.Running);
        var slots = options.Value.Training.SlotsFor(search.Reproducible);
        var stop = search.EndReasonCode is { } ended ? (ended, search.EndReason)
            : progress.WhyStop(search, trials, await pipeline.ReserveSecondsAsync(search, trials, ct));
        if (stop is null && active < slots)
        {
            await budgetPlan.ReplanAsync(search, trials, ct);
            await ProposeAsync(pipeline, search, trials, slots - active, ct);
            return;
        }
        if (stop is { } reason) await progress.StopProposingAsync(search, reason, ct);
        if (active == 0) await FinishAsync(pipeline, search, trials, ct);
    }

    private async Task<bool> PrepareAsync(ITaskPipeline pipeline, Search search, CancellationToken ct)
    {
        try
        {
            await pipeline.PrepareAsync(search, ct);
            await progress.AddInheritedTrialsAsync(search, ct);
            return await progress.StartAsync(search, ct);
        }
        catch (UserInputException ex)
        {
            await progress.FailAsync(search, ex.Detail, ct);
            return false;
        }
    }

    private async Task ProposeAsync(ITaskPipeline pipeline, Search search, List<Trial> trials, int slots, CancellationToken ct)
    {
        var proposer = await pipeline.ProposerAsync(search, trials, ct);
        for (var number = trials.Count + 1; number <= SearchProgress.TrialLimit(search, trials) && slots > 0; number++, slots--)
        {
            Trial trial;
            try
            {
                trial = proposer.Propose(number);
            }
            catch (UserInputException e)
            {
                await progress.NothingFitsAsync(search, trials, number, e, () => FinishAsync(pipeline, search, trials, ct), ct);
                return;
            }
            if (!await progress.QueueAsync(search, trial, ct)) return;
        }
    }

    private async Task FinishAsync(ITaskPipeline pipeline, Search search, List<Trial> trials, CancellationToken ct)
    {
        if (SearchProgress.Best(search, trials) is not { } best)
        {
            await progress.FailNoTrialFinishedAsync(search, trials, ct);
            return;
        }

        if (!finishing.TryStart(search.Id)) return;
        try
        {
            best = SearchProgress.Best(search, await pipeline.CandidatesAfterSearchAsync(search, trials, ct)) ?? best;
            var (evaluation, predictions) = await pipeline.EvaluateOnTestAsync(search, best, ct);
            await progress.CompleteAsync(search, best, evaluation, predictions, ct);
        }
        finally
        {
            finishing.Done(search.Id);
        }
    }
}
