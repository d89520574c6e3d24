using System.Text.Json;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Searches;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Datasets;

/// <summary>What pages and API routes read about datasets, their items and versions.</summary>
public sealed class DatasetQueries(StudioDbContext db)
{
    /// <summary>The API's own limit on a page of items, above the lists' usual one: the labeling grid asks for large pages.</summary>
    public const int MaxItemsTake = 1000;

    /// <summary>Datasets, newest first.</summary>
    public async Task<Page<DatasetView>> ListAsync(PageRequest page, CancellationToken ct)
    {
        var datasets = await db.Datasets.AsNoTracking().OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Id).PageAsync(page, ct);
        var ids = datasets.Items.Select(d => d.Id).ToList();
        // One query for every listed dataset's classes, not one per dataset: the list page re-reads while imports run.
        var counts = new List<(Guid DatasetId, string Label, int Count)>();
        foreach (var chunk in ids.Chunk(500)) // SQLite limits the parameters of one statement
            counts.AddRange((await db.DatasetItems.Where(i => chunk.Contains(i.DatasetId) && i.Label != null)
                .GroupBy(i => new { i.DatasetId, i.Label }).Select(g => new { g.Key.DatasetId, g.Key.Label, Count = g.Count() }).ToListAsync(ct))
                .Select(r => (r.DatasetId, r.Label!, r.Count)));
        var byDataset = counts.ToLookup(c => c.DatasetId);
        return new Page<DatasetView>(datasets.Items.Select(d => View(d,
            byDataset[d.Id].OrderBy(c => c.Label, StringComparer.Ordinal).Select(c => (c.Label, c.Count)).ToList())).ToList(), datasets.Total);
    }

    /// <summary>Every dataset, newest first, light enough to re-read each second while an import runs.</summary>
    public async Task<List<DatasetSummary>> SummariesAsync(CancellationToken ct)
    {
        var datasets = await db.Datasets.AsNoTracking().OrderByDescending(d => d.CreatedAt)
            .Select(d => new { d.Id, d.Name, d.Status, d.ImportProgress, d.ItemCount, d.CreatedAt }).ToListAsync(ct);
        var labels = await db.DatasetItems.AsNoTracking().Where(i => i.Label != null)
            .GroupBy(i => i.DatasetId).Select(g => new { g.Key, Labels = g.Select(i => i.Label).Distinct().Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Labels, ct);
        return datasets.Select(d => new DatasetSummary(d.Id, d.Name, d.Status, d.ImportProgress, d.ItemCount, labels.GetValueOrDefault(d.Id), d.CreatedAt))
            .ToList();
    }

    /// <summary>The dataset, or null when there is none with this id.</summary>
    public async Task<DatasetView?> FindAsync(Guid id, CancellationToken ct)
    {
        var dataset = await db.Datasets.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, ct);
        return dataset is null ? null : View(dataset, await db.ClassCountsAsync(id, ct));
    }

    public async Task<DatasetView> GetAsync(Guid id, CancellationToken ct) =>
        await FindAsync(id, ct) ?? throw UserInputException.NotFound("Dataset", id);

    /// <summary>Answers "not found" for a dataset that does not exist.</summary>
    public async Task EnsureExistsAsync(Guid id, CancellationToken ct)
    {
        if (!await db.Datasets.AnyAsync(d => d.Id == id, ct)) throw UserInputException.NotFound("Dataset", id);
    }

    /// <summary>A page of a dataset's items, checked as the items route takes them.</summary>
    /// <param name="order">null or "name": file name order; "suggested": the last suggestion run's labeling order.</param>
    public async Task<Page<ItemView>> ItemsAsync(Guid id, string? label, bool unlabeled, bool suspect, string? order, int? skip, int? take,
        CancellationToken ct)
    {
        var dataset = await db.Datasets.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, ct) ?? throw UserInputException.NotFound("Dataset", id);
        if (skip is < 0 || take is < 1 or > MaxItemsTake)
            throw new UserInputException("Invalid paging", $"'skip' must be 0 or more and 'take' between 1 and {MaxItemsTake}.");
        if (order is not (null or "name" or "suggested"))
            throw new UserInputException("Unknown order", "'order' is name (the default) or suggested: the last suggestion run's labeling order, unranked items last.");
        var page = await Items(dataset, new ItemFilter(label, unlabeled, suspect, order == "suggested"))
            .PageAsync(new PageRequest(skip ?? 0, take ?? 100), ct);
        return new Page<ItemView>(page.Items.Select(ItemView.From).ToList(), page.Total);
    }

    /// <summary>The ids of a dataset's items that <paramref name="filter"/> lets through, in its order (as the items route lists them).</summary>
    public async Task<List<Guid>> ItemIdsAsync(Guid id, ItemFilter filter, CancellationToken ct)
    {
        var dataset = await db.Datasets.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, ct) ?? throw UserInputException.NotFound("Dataset", id);
        return await Items(dataset, filter).Select(i => i.Id).ToListAsync(ct);
    }

    /// <summary>The items with these ids (those of the dataset), in no particular order.</summary>
    public async Task<List<ItemView>> ItemsByIdAsync(Guid id, IReadOnlyCollection<Guid> itemIds, CancellationToken ct)
    {
        var items = new List<ItemView>();
        foreach (var chunk in itemIds.Chunk(500)) // SQLite limits the parameters of one statement
            items.AddRange((await db.DatasetItems.AsNoTracking().Where(i => i.DatasetId == id && chunk.Contains(i.Id)).ToListAsync(ct))
                .Select(ItemView.From));
        return items;
    }

    public Task<bool> ItemExistsAsync(Guid id, Guid itemId, CancellationToken ct) =>
        db.DatasetItems.AnyAsync(i => i.DatasetId == id && i.Id == itemId, ct);

    /// <summary>Where the item's file is in the artifact store; null for an item without one, or no such item.</summary>
    public Task<string?> StoragePathAsync(Guid id, Guid itemId, CancellationToken ct) =>
        db.DatasetItems.Where(i => i.DatasetId == id && i.Id == itemId).Select(i => i.StoragePath).SingleOrDefaultAsync(ct);

    /// <summary>A dataset's versions, newest first.</summary>
    public async Task<Page<DatasetVersionView>> VersionsAsync(Guid id, PageRequest page, CancellationToken ct)
    {
        await EnsureExistsAsync(id, ct);
        var versions = await db.DatasetVersions.AsNoTracking().Where(v => v.DatasetId == id).OrderByDescending(v => v.Number).PageAsync(page, ct);
        return new Page<DatasetVersionView>(versions.Items.Select(DatasetVersionView.From).ToList(), versions.Total);
    }

    public async Task<DatasetVersionView> VersionAsync(Guid id, int number, CancellationToken ct)
    {
        var version = await db.DatasetVersions.AsNoTracking().SingleOrDefaultAsync(v => v.DatasetId == id && v.Number == number, ct)
                      ?? throw new UserInputException("Version not found", $"Dataset {id} has no version {number}. List its versions to find one.", 404);
        return DatasetVersionView.From(version);
    }

    /// <summary>A page of a dataset's images as its page shows them: grouped by label, then by file name; optionally one label only.</summary>
    public async Task<Page<ItemView>> GalleryAsync(Guid id, string? label, PageRequest page, CancellationToken ct)
    {
        var query = db.DatasetItems.AsNoTracking().Where(i => i.DatasetId == id);
        if (label is not null) query = query.Where(i => i.Label == label);
        var items = await query.OrderBy(i => i.Label).ThenBy(i => i.OriginalName).ThenBy(i => i.Id).PageAsync(page, ct);
        return new Page<ItemView>(items.Items.Select(ItemView.From).ToList(), items.Total);
    }

    /// <summary>Unlabeled items that carry a model's suggestion.</summary>
    public Task<int> SuggestedCountAsync(Guid id, CancellationToken ct) =>
        db.DatasetItems.CountAsync(i => i.DatasetId == id && i.Label == null && i.SuggestedLabel != null, ct);

    /// <summary>A page of a table's or texts' rows in file order; with <paramref name="onlyItem"/>, just that row.</summary>
    public async Task<Page<DatasetItem>> RowsAsync(Guid id, PageRequest page, Guid? onlyItem, CancellationToken ct)
    {
        var query = db.DatasetItems.AsNoTracking().Where(i => i.DatasetId == id);
        if (onlyItem is { } item) query = query.Where(i => i.Id == item);
        return await query.OrderBy(i => i.SourceIndex).ThenBy(i => i.Id).PageAsync(page, ct);
    }

    /// <summary>Labeled items of each label, and how many items there are in all.</summary>
    public async Task<(IReadOnlyList<(string Name, int Count)> PerLabel, int Total)> LabelCountsAsync(Guid id, CancellationToken ct) =>
        (await db.ClassCountsAsync(id, ct), await db.DatasetItems.CountAsync(i => i.DatasetId == id, ct));

    /// <summary>User ids to what people call them: display name, else email.</summary>
    public async Task<Dictionary<string, string>> UserNamesAsync(IReadOnlyCollection<string> userIds, CancellationToken ct) =>
        (await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName, u.Email, u.UserName }).ToListAsync(ct))
        .ToDictionary(u => u.Id, u => u.DisplayName ?? u.Email ?? u.UserName ?? "someone");

    /// <summary>The dataset's completed classifier searches, fewest labels first: the labeling loop's rounds.</summary>
    public async Task<List<LabelRound>> LabelRoundsAsync(Guid id, CancellationToken ct)
    {
        var searches = await db.Searches.AsNoTracking()
            .Where(s => s.DatasetId == id && s.Status == SearchStatus.Completed && s.TestEvaluation != null && s.DatasetVersionId != null)
            .Join(db.DatasetVersions, s => s.DatasetVersionId, v => v.Id, (s, v) => new { Search = s, v.ItemCount })
            .ToListAsync(ct);
        return [.. searches
            .Where(x => !SearchTasks.IsRegression(x.Search.Task) && x.Search.TestEvaluation is not null)
            .Select(x => new LabelRound(x.Search.Id, x.ItemCount, x.Search.TestEvaluation!.Accuracy, x.Search.CompletedAt ?? x.Search.CreatedAt))
            .OrderBy(r => r.Labels).ThenBy(r => r.CompletedAt)];
    }

    private IQueryable<DatasetItem> Items(Dataset dataset, ItemFilter filter)
    {
        var query = db.DatasetItems.AsNoTracking().Where(i => i.DatasetId == dataset.Id);
        if (filter.Unlabeled) query = query.Where(i => i.Label == null);
        else if (!string.IsNullOrEmpty(filter.Label)) query = query.Where(i => i.Label == filter.Label);
        if (filter.Suspect)
        {
            var suspects = dataset.SuspectItemIds();
            query = query.Where(i => suspects.Contains(i.Id));
        }
        return filter.SuggestedOrder
            ? query.OrderBy(i => i.SuggestionRank == null).ThenBy(i => i.SuggestionRank).ThenBy(i => i.OriginalName).ThenBy(i => i.Id)
            : query.OrderBy(i => i.OriginalName).ThenBy(i => i.Id);
    }

    private static DatasetView View(Dataset d, IReadOnlyList<(string Name, int Count)> labeled)
    {
        // A regression target's values are numbers, not classes.
        IReadOnlyList<ClassCount> classes = d.Task == DatasetTasks.Regression ? [] : labeled.Select(c => new ClassCount(c.Name, c.Count)).ToList();
        var report = DatasetQualityJob.Read(d); // read once: a report that lists duplicates is large
        return new DatasetView(d.Id, d.Name, d.Kind, d.Status, d.Error, d.ImportProgress, d.ItemCount, d.LabeledCount, classes,
            Quality(d, report, classes), d.CreatedAt, d.Source, d.Task, d.LabelColumn, d.TextColumn, d.Columns ?? [],
            d.UploadFileName, d.CancelRequested, d.QualityComputedAt, d.QualityQueuedAt, SearchTasks.Resolve(null, d),
            report is null ? [] : DatasetCounts.SuspectItemIds(report), labeled.Select(c => new ClassCount(c.Name, c.Count)).ToList());
    }

    private static DatasetQualityView Quality(Dataset d, QualityReport? report, IReadOnlyList<ClassCount> classes)
    {
        var computedAt = report?.ComputedAt;
        // A regression target has no classes, so the class checks only apply to classification.
        var classification = d.Task != DatasetTasks.Regression;
        var issues = d.ImportIssues;
        report ??= ComputeQuality.Basic(classes.Select(c => (c.Name, c.Count)).ToList(), issues, d.Status == DatasetStatus.Ready && classification,
            d.ItemCount, DateTimeOffset.UtcNow, d.SkippedTotal(issues));
        return new DatasetQualityView(report.SkippedFiles, report.SkippedDetails, report.ImbalanceRatio, report.Warnings, computedAt, report.Classes,
            report.ExactDuplicates, report.NearDuplicates, report.Images, report.Tabular);
    }
}
