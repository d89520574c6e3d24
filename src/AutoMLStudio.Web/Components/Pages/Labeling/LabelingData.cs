using AutoMLStudio.Core;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Suggestions;
using AutoMLStudio.Web.Api;
using AutoMLStudio.Web.Components.Shared;

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
    public Task<DatasetView?> DatasetAsync(Guid id, CancellationToken ct) => Read<DatasetQueries, DatasetView?>(q => q.FindAsync(id, ct));

    /// <summary>Item ids in the grid's order (file name, then id), the same order as the items API.</summary>
    public Task<List<Guid>> ItemIdsAsync(Guid datasetId, LabelFilter filter, CancellationToken ct) => Read<DatasetQueries, List<Guid>>(q =>
        q.ItemIdsAsync(datasetId, new ItemFilter(filter.Label, filter.Unlabeled, filter.Suspect, filter.SuggestedOrder), ct));

    /// <summary>The newest suggestion run of the dataset, or null before any.</summary>
    public Task<SuggestionRunView?> LatestSuggestionsAsync(Guid datasetId, CancellationToken ct) =>
        Read<SuggestionQueries, SuggestionRunView?>(q => q.LatestAsync(datasetId, ct));

    /// <summary>Registered classifiers of the dataset's kind, newest version of each name first: what can suggest labels.</summary>
    public async Task<List<StartingModelChoice>> SuggestingModelsAsync(DatasetKind kind, CancellationToken ct) =>
        (await Read<SuggestionQueries, List<ModelVersionChoice>>(q => q.ClassifiersAsync(kind, ct)))
        .Select(m => new StartingModelChoice(m.ModelId, m.Version, m.Label)).ToList();

    public async Task<SuggestionRunView> SuggestAsync(Guid datasetId, SuggestLabelsRequest request, string? userId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return SuggestionRunView.From(await scope.ServiceProvider.GetRequiredService<SuggestLabels>().HandleAsync(datasetId, request, userId, ct));
    }

    public async Task<List<ItemDto>> ItemsAsync(Guid datasetId, IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        (await Read<DatasetQueries, List<ItemView>>(q => q.ItemsByIdAsync(datasetId, ids, ct))).Select(i => i.ToDto()).ToList();

    public async Task<LabelCounts> CountsAsync(Guid datasetId, CancellationToken ct)
    {
        var (perLabel, total) = await Read<DatasetQueries, (IReadOnlyList<(string Name, int Count)>, int)>(q => q.LabelCountsAsync(datasetId, ct));
        return new LabelCounts(total, total - perLabel.Sum(c => c.Count), perLabel.ToDictionary(c => c.Name, c => c.Count));
    }

    /// <summary>A page of rows in file order; with <paramref name="onlyItem"/>, just that row.</summary>
    public async Task<RowPage> RowsAsync(Guid datasetId, int skip, int take, Guid? onlyItem, CancellationToken ct)
    {
        var rows = await Read<DatasetQueries, Page<DatasetItem>>(q => q.RowsAsync(datasetId, new PageRequest(skip, take), onlyItem, ct));
        return new RowPage(rows.Total, rows.Items);
    }

    /// <summary>User ids to what people call them: display name, else email.</summary>
    public Task<Dictionary<string, string>> UserNamesAsync(IReadOnlyCollection<string> userIds, CancellationToken ct) =>
        Read<DatasetQueries, Dictionary<string, string>>(q => q.UserNamesAsync(userIds, ct));

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

    private async Task<T> Read<TQuery, T>(Func<TQuery, Task<T>> read) where TQuery : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<TQuery>());
    }

    private async Task<T> Write<T>(Func<LabelItems, Task<T>> write)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await write(scope.ServiceProvider.GetRequiredService<LabelItems>());
    }
}
