using AutoMLStudio.Core.Data;
using AutoMLStudio.Engine.Analysis;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Searches;

/// <summary>The read side of searches and their trials, for the search pages and the API.</summary>
public sealed class SearchQueries(StudioDbContext db)
{
    /// <summary>The search with its trial counts, best trial and early stopping; a user error when there is none.</summary>
    public async Task<SearchView> GetAsync(Guid id, CancellationToken ct)
    {
        var search = await db.Searches.AsNoTracking().Include(s => s.Trials).SingleOrDefaultAsync(s => s.Id == id, ct)
                     ?? throw UserInputException.NotFound("Search", id);
        return SearchView.Of(search, [.. search.Trials], (await EarlyStoppingSummary.ForSearchesAsync(db, [id], ct))[id]);
    }

    /// <summary>Searches newest first, of one dataset or all.</summary>
    public async Task<Page<SearchView>> ListAsync(Guid? datasetId, PageRequest page, CancellationToken ct)
    {
        var query = db.Searches.AsNoTracking().Include(s => s.Trials).AsQueryable();
        if (datasetId is not null) query = query.Where(s => s.DatasetId == datasetId);
        var searches = await query.OrderByDescending(s => s.CreatedAt).ThenBy(s => s.Id).PageAsync(page, ct);
        var stopped = await EarlyStoppingSummary.ForSearchesAsync(db, [.. searches.Items.Select(s => s.Id)], ct);
        return new Page<SearchView>([.. searches.Items.Select(s => SearchView.Of(s, [.. s.Trials], stopped[s.Id]))], searches.Total);
    }

    /// <summary>Every search newest first, with its dataset's name and best validation value, for the list of searches.</summary>
    public async Task<IReadOnlyList<SearchListEntry>> ListEntriesAsync(CancellationToken ct)
    {
        var searches = await db.Searches.AsNoTracking().Include(s => s.Trials).ToListAsync(ct);
        var names = await db.Datasets.AsNoTracking().Select(d => new { d.Id, d.Name }).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        return [.. searches.OrderByDescending(s => s.CreatedAt).Select(s =>
        {
            var metric = s.MetricDefinition();
            var best = s.Trials.Where(t => t.Status == TrialStatus.Completed && t.ValMetric is not null).Select(t => t.ValMetric)
                .MaxBy(v => metric.Maximised(v!.Value));
            return new SearchListEntry(s.Id, s.DatasetId, names.GetValueOrDefault(s.DatasetId, "(deleted dataset)"), s.Status.ToString().ToLowerInvariant(),
                s.Trials.Count(t => t.Status == TrialStatus.Completed), s.MaxTrials, best, SearchMetric.From(metric), s.CreatedAt);
        })];
    }

    /// <summary>The search with every trial and epoch, for the search page; null when there is no such search.</summary>
    public async Task<SearchPageData?> PageAsync(Guid id, CancellationToken ct)
    {
        var search = await db.Searches.AsNoTracking().Include(s => s.Trials).ThenInclude(t => t.Epochs)
            .AsSplitQuery().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (search is null) return null;
        var datasetName = await db.Datasets.AsNoTracking().Where(d => d.Id == search.DatasetId).Select(d => d.Name).SingleOrDefaultAsync(ct);
        return new SearchPageData(search, datasetName, SearchTaskTraits.Of(search.Task), [.. search.Trials.Select(TrialView.From)]);
    }

    /// <summary>
    /// One trial read again with its search's row, when an event says it started or ended: the rest of the search is not
    /// read, since with 300 trials of 50 epochs a full re-read per event would read 15,000 epoch rows each time.
    /// </summary>
    public async Task<(TrialView Trial, Search Search)?> TrialAsync(Guid trialId, CancellationToken ct)
    {
        var trial = await db.Trials.AsNoTracking().Include(t => t.Epochs).Include(t => t.Search).SingleOrDefaultAsync(t => t.Id == trialId, ct);
        return trial?.Search is { } search ? (TrialView.From(trial), search) : null;
    }

    /// <summary>The search's dataset, metric and classes; null when there is no such search.</summary>
    public async Task<SearchHeading?> HeadingAsync(Guid id, CancellationToken ct)
    {
        var search = await db.Searches.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (search is null) return null;
        var datasetName = await db.Datasets.AsNoTracking().Where(d => d.Id == search.DatasetId).Select(d => d.Name).SingleOrDefaultAsync(ct);
        return new SearchHeading(search.Id, search.DatasetId, datasetName, SearchMetric.From(search.MetricDefinition()), search.Classes,
            SearchTaskTraits.Of(search.Task));
    }

    /// <summary>The search's trials in number order with their curves; a user error when there is no such search.</summary>
    public async Task<IReadOnlyList<TrialSummary>> TrialsAsync(Guid id, CancellationToken ct)
    {
        var search = await db.Searches.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct) ?? throw UserInputException.NotFound("Search", id);
        var trials = await db.Trials.AsNoTracking().Include(t => t.Epochs).Where(t => t.SearchId == id).OrderBy(t => t.Number).ToListAsync(ct);
        var multiObjective = search.TradeOff() is not null;
        var front = search.ParetoFront(trials).Select(t => t.Id).ToHashSet();
        return [.. trials.Select(t => TrialSummary.Of(t, search, multiObjective ? front.Contains(t.Id) : null))];
    }

    /// <summary>The view of a trial a use case handed back, as it holds it (epochs only where it read them).</summary>
    public async Task<TrialSummary> SummaryAsync(Trial trial, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var search = await db.Searches.AsNoTracking().SingleAsync(s => s.Id == trial.SearchId, ct);
        return TrialSummary.Of(trial, search);
    }

    /// <summary>How much each hyperparameter moved the metric over the completed trials; a user error when there is no such search.</summary>
    public async Task<SearchImportance> ImportanceAsync(Guid id, CancellationToken ct)
    {
        var search = await db.Searches.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct) ?? throw UserInputException.NotFound("Search", id);
        var trials = await db.Trials.AsNoTracking().Where(t => t.SearchId == id && t.Status == TrialStatus.Completed).ToListAsync(ct);
        var estimate = TrialPoints.Importance(search, trials);
        return new SearchImportance(search.Metric, ImportanceStatus.Of(estimate.Outcome), estimate.TrialCount, HyperparameterImportance.MinimumTrials,
            estimate.Outcome == ImportanceOutcome.Estimated ? estimate.MainEffectsShare : null,
            [.. estimate.Parameters.Select(p => new SettingImportance(p.Name, p.Share, p.Varied))]);
    }
}
