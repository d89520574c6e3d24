using AutoMLStudio.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Datasets;

public static class DatasetQueries
{
    /// <summary>Labeled items per class, classes in ordinal order (the order models index them).</summary>
    public static async Task<IReadOnlyList<(string Name, int Count)>> ClassCountsAsync(this StudioDbContext db, Guid datasetId, CancellationToken ct)
    {
        var rows = await db.DatasetItems.Where(i => i.DatasetId == datasetId && i.Label != null)
            .GroupBy(i => i.Label!).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return rows.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (r.Key, r.Count)).ToList();
    }
}
