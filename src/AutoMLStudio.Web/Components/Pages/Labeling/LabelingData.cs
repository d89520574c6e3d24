using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Core.Suggestions;
using AutoMLStudio.Web.Api;
using AutoMLStudio.Web.Components.Shared;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Web.Components.Pages.Labeling;

/// <summary>
/// What the grid shows: everything, only unlabeled items, one label, the items the quality report flags, or the
/// unlabeled items in the order the last suggestion run ranked them (what to label next first).
/// </summary>
public sealed record LabelFilter(string? Label, bool Unlabeled, bool Suspect = false, bool SuggestedOrder = false)
{
    public static readonly LabelFilter All = new(null, false);
    public static readonly LabelFilter UnlabeledOnly = new(null, true);
    public static readonly LabelFilter SuspectOnly = new(null, false, true);
    public static readonly LabelFilter LabelNext = new(null, true, SuggestedOrder: true);
}

public sealed record LabelCounts(int Total, int Unlabeled, IReadOnlyDictionary<string, int> PerLabel)
{
    public static readonly LabelCounts Empty = new(0, 0, new Dictionary<string, int>());

    public int Of(string label) => PerLabel.GetValueOrDefault(label);
}

public sealed record RowPage(int Total, IReadOnlyList<DatasetItem> Rows);

/// <summary>
/// The labeling page's reads and writes. Each call gets its own scope, so its own DbContext: the circuit's shared one
/// would keep stale tracked items (a label another person changed) and cannot serve the grid's parallel page loads.
/// </summary>
public sealed class LabelingData(IServiceScopeFactory scopes)
{
    public Task<Dataset?> DatasetAsync(Guid id, CancellationToken ct) =>
        Read(db => db.Datasets.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, ct));

    /// <summary>Item ids in the grid's order (file name, then id), the same order as the items API.</summary>
    public Task<List<Guid>> ItemIdsAsync(Guid datasetId, LabelFilter filter, CancellationToken ct) => Read(async db =>
    {
        var query = db.DatasetItems.AsNoTracking().Where(i => i.DatasetId == datasetId);
        if (filter.Unlabeled) query = query.Where(i => i.Label == null);
        else if (filter.Label is not null) query = query.Where(i => i.Label == filter.Label);
        else if (filter.Suspect)
        {
            var dataset = await db.Datasets.AsNoTracking().SingleAsync(d => d.Id == datasetId, ct);
            var suspect = dataset.SuspectItemIds();
            query = query.Where(i => suspect.Contains(i.Id));
        }
        var ordered = filter.SuggestedOrder
            ? query.OrderBy(i => i.SuggestionRank == null).ThenBy(i => i.SuggestionRank).ThenBy(i => i.OriginalName).ThenBy(i => i.Id)
            : query.OrderBy(i => i.OriginalName).ThenBy(i => i.Id);
        return await ordered.Select(i => i.Id).ToListAsync(ct);
    });

    /// <summary>The newest suggestion run of the dataset, or null before any.</summary>
    public Task<LabelSuggestionRun?> LatestSuggestionsAsync(Guid datasetId, CancellationToken ct) => Read(db =>
        db.LabelSuggestionRuns.AsNoTracking().Where(r => r.DatasetId == datasetId).OrderByDescending(r => r.CreatedAt).FirstOrDefaultAsync(ct));

    /// <summary>Registered classifiers of the dataset's kind, newest version of each name first: what can suggest labels.</summary>
    public Task<List<StartingModelChoice>> SuggestingModelsAsync(DatasetKind kind, CancellationToken ct) => Read(async db =>
    {
        var task = kind switch { DatasetKind.Text => SearchTasks.TextClassification, DatasetKind.Tabular => SearchTasks.TabularClassification, _ => SearchTasks.ImageClassification };
        var versions = await db.ModelVersions.AsNoTracking().Where(v => v.Task == task)
            .Select(v => new { v.ModelId, v.Model!.Name, v.Version }).ToListAsync(ct);
        return versions.OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase).ThenByDescending(v => v.Version).Take(100)
            .Select(v => new StartingModelChoice(v.ModelId, v.Version, $"{v.Name} v{v.Version}")).ToList();
    });

    public async Task<LabelSuggestionRun> SuggestAsync(Guid datasetId, SuggestLabelsRequest request, string? userId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SuggestLabels>().HandleAsync(datasetId, request, userId, ct);
    }

    public Task<List<ItemDto>> ItemsAsync(Guid datasetId, IReadOnlyCollection<Guid> ids, CancellationToken ct) => Read(async db =>
    {
        var items = new List<ItemDto>();
        foreach (var chunk in ids.Chunk(500)) // SQLite limits the parameters of one statement
            items.AddRange((await db.DatasetItems.AsNoTracking().Where(i => i.DatasetId == datasetId && chunk.Contains(i.Id)).ToListAsync(ct))
                .Select(i => i.ToDto()));
        return items;
    });

    public Task<LabelCounts> CountsAsync(Guid datasetId, CancellationToken ct) => Read(async db =>
    {
        var perLabel = (await db.ClassCountsAsync(datasetId, ct)).ToDictionary(c => c.Name, c => c.Count);
        var total = await db.DatasetItems.CountAsync(i => i.DatasetId == datasetId, ct);
        return new LabelCounts(total, total - perLabel.Values.Sum(), perLabel);
    });

    /// <summary>A page of rows in file order; with <paramref name="onlyItem"/>, just that row.</summary>
    public Task<RowPage> RowsAsync(Guid datasetId, int skip, int take, Guid? onlyItem, CancellationToken ct) => Read(async db =>
    {
        var query = db.DatasetItems.AsNoTracking().Where(i => i.DatasetId == datasetId);
        if (onlyItem is { } item) query = query.Where(i => i.Id == item);
        var rows = await query.OrderBy(i => i.SourceIndex).ThenBy(i => i.Id).Skip(skip).Take(take).ToListAsync(ct);
        return new RowPage(await query.CountAsync(ct), rows);
    });

    /// <summary>User ids to what people call them: display name, else email.</summary>
    public Task<Dictionary<string, string>> UserNamesAsync(IReadOnlyCollection<string> userIds, CancellationToken ct) => Read(async db =>
        (await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName, u.Email, u.UserName }).ToListAsync(ct))
        .ToDictionary(u => u.Id, u => u.DisplayName ?? u.Email ?? u.UserName ?? "someone"));

    public Task<IReadOnlyList<string>> LabelsAsync(Guid datasetId, CancellationToken ct) => Write(l => l.LabelsAsync(datasetId, ct));

    public Task<LabelChange> SetAsync(Guid datasetId, Guid itemId, string? label, int? expectedRevision, string? userId, CancellationToken ct) =>
        Write(l => l.SetAsync(datasetId, itemId, label, expectedRevision, userId, ct));

    public Task<int> AssignAsync(Guid datasetId, IReadOnlyCollection<Guid> itemIds, string? label, string? userId, CancellationToken ct) =>
        Write(l => l.AssignAsync(datasetId, itemIds, label, userId, ct));

    /// <summary>Gives each item back the label it had: one bulk change per earlier label.</summary>
    public async Task RestoreAsync(Guid datasetId, UndoStep step, string? userId, CancellationToken ct)
    {
        foreach (var group in step.Previous.GroupBy(p => p.Label))
            await AssignAsync(datasetId, group.Select(p => p.ItemId).ToList(), group.Key, userId, ct);
    }

    public Task CreateLabelAsync(Guid datasetId, string? name, string? userId, CancellationToken ct) =>
        Write(l => l.CreateLabelAsync(datasetId, name, userId, ct));

    public Task<int> RenameAsync(Guid datasetId, string from, string? to, string? userId, CancellationToken ct) =>
        Write(l => l.RenameAsync(datasetId, from, to, userId, ct));

    public Task<int> MergeAsync(Guid datasetId, IReadOnlyCollection<string> from, string into, string? userId, CancellationToken ct) =>
        Write(l => l.MergeAsync(datasetId, from, into, userId, ct));

    public Task<int> DeleteLabelAsync(Guid datasetId, string label, string? userId, CancellationToken ct) =>
        Write(l => l.DeleteLabelAsync(datasetId, label, userId, ct));

    private async Task<T> Read<T>(Func<StudioDbContext, Task<T>> read)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<StudioDbContext>());
    }

    private async Task<T> Write<T>(Func<LabelItems, Task<T>> write)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await write(scope.ServiceProvider.GetRequiredService<LabelItems>());
    }
}
