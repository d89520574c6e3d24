using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Datasets;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Suggestions;

/// <summary>
/// A person accepts the model's suggestions for some items: each becomes that item's label, saved as theirs through
/// <see cref="LabelItems"/> like any label they give. Items labeled meanwhile, or without a suggestion, are left alone.
/// </summary>
public sealed class ConfirmSuggestions(StudioDbContext db, LabelItems labels)
{
    public async Task<int> HandleAsync(Guid datasetId, IReadOnlyCollection<Guid> itemIds, string? userId, CancellationToken ct)
    {
        if (itemIds.Count == 0) throw new UserInputException("No items", "Say which items' suggestions to confirm: {\"itemIds\": [...]}.");
        if (itemIds.Count > 100_000) throw new UserInputException("Too many items", "Confirm at most 100,000 suggestions at once.");
        if (!await db.Datasets.AnyAsync(d => d.Id == datasetId, ct)) throw UserInputException.NotFound("Dataset", datasetId);
        var suggested = new List<(Guid Id, string Label)>();
        foreach (var chunk in itemIds.Distinct().Chunk(500)) // SQLite limits the parameters of one statement
            suggested.AddRange((await db.DatasetItems.AsNoTracking()
                    .Where(i => i.DatasetId == datasetId && chunk.Contains(i.Id) && i.Label == null && i.SuggestedLabel != null)
                    .Select(i => new { i.Id, i.SuggestedLabel }).ToListAsync(ct))
                .Select(i => (i.Id, i.SuggestedLabel!)));
        var confirmed = 0;
        foreach (var group in suggested.GroupBy(s => s.Label))
            confirmed += await labels.AssignAsync(datasetId, [.. group.Select(s => s.Id)], group.Key, userId, ct);
        return confirmed;
    }
}
