using System.Text.Json;
using AutoMLStudio.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Datasets;

/// <summary>
/// Every way a label changes: one item, many items, and the label set itself (create, rename, merge, delete).
/// Each change is saved at once with who and when. Two people on different items never disturb each other; on the
/// same item the last change wins, and the change says whose label it replaced so that person can be told.
/// </summary>
public sealed class LabelItems(StudioDbContext db, IDatasetEventPublisher events, RequestQualityReport quality, TimeProvider clock)
{
    /// <summary>More changes than this are announced by count only; clients reload.</summary>
    public const int MaxChangesPerEvent = 500;

    public async Task<LabelChange> SetAsync(Guid datasetId, Guid itemId, string? label, int? expectedRevision, string? userId, CancellationToken ct)
    {
        label = Normalize(label);
        var dataset = await LoadDatasetAsync(datasetId, ct);
        var item = await db.DatasetItems.SingleOrDefaultAsync(i => i.DatasetId == datasetId && i.Id == itemId, ct)
                   ?? throw UserInputException.NotFound("Item", itemId);

        var replaced = expectedRevision is { } expected && expected != item.Revision && item.Label != label
            ? new ReplacedLabel(item.Label, item.LabeledBy, item.Revision)
            : null;
        item.Label = label;
        item.LabeledBy = userId;
        item.LabeledAt = clock.GetUtcNow();
        item.Revision++;
        await AddToLabelSetAsync(dataset, label, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone saved this item between our read and our write: theirs is replaced by ours (last change wins).
            db.ChangeTracker.Clear();
            return await SetAsync(datasetId, itemId, label, expectedRevision, userId, ct);
        }

        var change = new LabelChange(item.Id, item.Label, item.Revision, replaced);
        await AfterChangeAsync(dataset, "set", userId, 1, [change], ct);
        return change;
    }

    public async Task<int> AssignAsync(Guid datasetId, IReadOnlyCollection<Guid> itemIds, string? label, string? userId, CancellationToken ct)
    {
        label = Normalize(label);
        if (itemIds.Count == 0) throw new UserInputException("No items", "Select at least one item to label.");
        if (itemIds.Count > 100_000) throw new UserInputException("Too many items", "Label at most 100,000 items at once.");
        var dataset = await LoadDatasetAsync(datasetId, ct);
        await AddToLabelSetAsync(dataset, label, ct);
        await db.SaveChangesAsync(ct);

        var ids = itemIds.Distinct().ToList();
        var now = clock.GetUtcNow();
        var changed = 0;
        foreach (var chunk in ids.Chunk(500)) // SQLite limits the parameters of one statement
            changed += await db.DatasetItems.Where(i => i.DatasetId == datasetId && chunk.Contains(i.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Label, label).SetProperty(i => i.LabeledBy, userId)
                    .SetProperty(i => i.LabeledAt, now).SetProperty(i => i.Revision, i => i.Revision + 1), ct);
        if (changed != ids.Count)
            throw new UserInputException("Items not found", $"{ids.Count - changed} of the selected items are not in this dataset; the others were labeled.", 404);

        await AfterChangeAsync(dataset, "assign", userId, changed, await ChangesAsync(datasetId, ids, ct), ct);
        return changed;
    }

    public async Task<IReadOnlyList<string>> CreateLabelAsync(Guid datasetId, string? name, string? userId, CancellationToken ct)
    {
        var label = Normalize(name) ?? throw new UserInputException("Label name missing", "Type a name for the new label.");
        var dataset = await LoadDatasetAsync(datasetId, ct);
        var labels = LabelSet(dataset);
        if (labels.Contains(label, StringComparer.Ordinal))
            throw new UserInputException("Label exists", $"The label '{label}' already exists.", 409);
        await AddToLabelSetAsync(dataset, label, ct);
        await db.SaveChangesAsync(ct);
        await AfterChangeAsync(dataset, "create", userId, 0, [], ct);
        return LabelSet(dataset);
    }

    /// <summary>Renames a label; renaming onto an existing label merges the two.</summary>
    public Task<int> RenameAsync(Guid datasetId, string? from, string? to, string? userId, CancellationToken ct) =>
        MergeAsync(datasetId, [from ?? ""], to, userId, ct, action: "rename");

    public async Task<int> MergeAsync(Guid datasetId, IReadOnlyCollection<string> from, string? into, string? userId, CancellationToken ct,
        string action = "merge")
    {
        var target = Normalize(into) ?? throw new UserInputException("Target label missing", "Say which label the items should get.");
        var sources = from.Select(Normalize).OfType<string>().Where(l => l != target).Distinct().ToList();
        if (sources.Count == 0) throw new UserInputException("Nothing to change", "Name at least one other label to rename or merge.");
        var dataset = await LoadDatasetAsync(datasetId, ct);
        var known = LabelSet(dataset).Concat(await UsedLabelsAsync(datasetId, ct)).ToHashSet(StringComparer.Ordinal);
        var unknown = sources.Where(s => !known.Contains(s)).ToList();
        if (unknown.Count > 0)
            throw new UserInputException("Label not found", $"This dataset has no label {string.Join(", ", unknown.Select(u => $"'{u}'"))}.", 404);

        var labels = LabelSet(dataset);
        var position = labels.FindIndex(l => l == sources[0]);
        labels.RemoveAll(l => sources.Contains(l));
        if (!labels.Contains(target)) labels.Insert(position < 0 ? labels.Count : Math.Min(position, labels.Count), target);
        dataset.Labels = [.. labels];
        await db.SaveChangesAsync(ct);

        var changedIds = await db.DatasetItems.Where(i => i.DatasetId == datasetId && i.Label != null && sources.Contains(i.Label))
            .Select(i => i.Id).ToListAsync(ct);
        var now = clock.GetUtcNow();
        await db.DatasetItems.Where(i => i.DatasetId == datasetId && i.Label != null && sources.Contains(i.Label))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Label, target).SetProperty(i => i.LabeledBy, userId)
                .SetProperty(i => i.LabeledAt, now).SetProperty(i => i.Revision, i => i.Revision + 1), ct);
        await AfterChangeAsync(dataset, action, userId, changedIds.Count, await ChangesAsync(datasetId, changedIds, ct), ct);
        return changedIds.Count;
    }

    /// <summary>Removes a label from the set; its items become unlabeled (nothing is deleted).</summary>
    public async Task<int> DeleteLabelAsync(Guid datasetId, string? name, string? userId, CancellationToken ct)
    {
        var label = Normalize(name) ?? throw new UserInputException("Label name missing", "Say which label to delete.");
        var dataset = await LoadDatasetAsync(datasetId, ct);
        var labels = LabelSet(dataset);
        if (labels.RemoveAll(l => l == label) == 0 && !await db.DatasetItems.AnyAsync(i => i.DatasetId == datasetId && i.Label == label, ct))
            throw new UserInputException("Label not found", $"This dataset has no label '{label}'.", 404);
        dataset.Labels = [.. labels];
        await db.SaveChangesAsync(ct);

        var changedIds = await db.DatasetItems.Where(i => i.DatasetId == datasetId && i.Label == label).Select(i => i.Id).ToListAsync(ct);
        var now = clock.GetUtcNow();
        await db.DatasetItems.Where(i => i.DatasetId == datasetId && i.Label == label)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Label, (string?)null).SetProperty(i => i.LabeledBy, userId)
                .SetProperty(i => i.LabeledAt, now).SetProperty(i => i.Revision, i => i.Revision + 1), ct);
        await AfterChangeAsync(dataset, "delete", userId, changedIds.Count, await ChangesAsync(datasetId, changedIds, ct), ct);
        return changedIds.Count;
    }

    /// <summary>The label set: declared labels in their order, then labels only found on items.</summary>
    public async Task<IReadOnlyList<string>> LabelsAsync(Guid datasetId, CancellationToken ct)
    {
        var dataset = await LoadDatasetAsync(datasetId, ct);
        var labels = LabelSet(dataset);
        labels.AddRange((await UsedLabelsAsync(datasetId, ct)).Where(l => !labels.Contains(l)).Order(StringComparer.Ordinal));
        return labels;
    }

    public static string? Normalize(string? label)
    {
        label = label?.Trim();
        if (string.IsNullOrEmpty(label)) return null;
        if (label.Length > 100) throw new UserInputException("Label too long", "A label can have at most 100 characters.");
        if (label.Any(char.IsControl))
            throw new UserInputException("Invalid label", "A label cannot contain line breaks, tabs or other control characters.");
        return label;
    }

    private async Task AfterChangeAsync(Dataset dataset, string action, string? userId, int count, IReadOnlyList<LabelChange> changes, CancellationToken ct)
    {
        await db.Datasets.Where(d => d.Id == dataset.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.LabeledCount,
            d => db.DatasetItems.Count(i => i.DatasetId == d.Id && i.Label != null)), ct);
        await quality.HandleAsync(dataset.Id, ct);
        await events.PublishAsync(new LabelsChanged(dataset.Id, action, userId, count,
            changes.Count > MaxChangesPerEvent ? [] : changes, await LabelsAsync(dataset.Id, ct)));
    }

    private async Task<IReadOnlyList<LabelChange>> ChangesAsync(Guid datasetId, IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        if (ids.Count > MaxChangesPerEvent) return [];
        return await db.DatasetItems.AsNoTracking().Where(i => i.DatasetId == datasetId && ids.Contains(i.Id))
            .Select(i => new LabelChange(i.Id, i.Label, i.Revision, null)).ToListAsync(ct);
    }

    private Task<List<string>> UsedLabelsAsync(Guid datasetId, CancellationToken ct) =>
        db.DatasetItems.Where(i => i.DatasetId == datasetId && i.Label != null).Select(i => i.Label!).Distinct().ToListAsync(ct);

    private async Task<Dataset> LoadDatasetAsync(Guid datasetId, CancellationToken ct)
    {
        var dataset = await db.Datasets.SingleOrDefaultAsync(d => d.Id == datasetId, ct) ?? throw UserInputException.NotFound("Dataset", datasetId);
        if (dataset.Status != DatasetStatus.Ready)
            throw new UserInputException("Dataset not ready", "Labels can be changed once the dataset has been imported.", 409);
        return dataset;
    }

    private static List<string> LabelSet(Dataset dataset) => [.. dataset.Labels];

    /// <summary>
    /// Appends a new label after every label already in use. An imported dataset declares no set, so the set is its used
    /// labels in ordinal order; declaring only the new label would put it first and renumber keys 1-9 under the labeler.
    /// </summary>
    private async Task AddToLabelSetAsync(Dataset dataset, string? label, CancellationToken ct)
    {
        if (label is null) return;
        var labels = LabelSet(dataset);
        if (labels.Contains(label, StringComparer.Ordinal)) return;
        labels.AddRange((await UsedLabelsAsync(dataset.Id, ct)).Where(l => !labels.Contains(l)).Order(StringComparer.Ordinal));
        if (!labels.Contains(label, StringComparer.Ordinal)) labels.Add(label);
        dataset.Labels = [.. labels];
    }
}
