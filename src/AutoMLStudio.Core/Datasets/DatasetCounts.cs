using AutoMLStudio.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Datasets;

public static class DatasetCounts
{
    /// <summary>Labeled items per class, classes in ordinal order (the order models index them).</summary>
    public static async Task<IReadOnlyList<(string Name, int Count)>> ClassCountsAsync(this StudioDbContext db, Guid datasetId, CancellationToken ct)
    {
        var rows = await db.DatasetItems.Where(i => i.DatasetId == datasetId && i.Label != null)
            .GroupBy(i => i.Label!).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return rows.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (r.Key, r.Count)).ToList();
    }

    /// <summary>
    /// Items the quality report asks a person to look at: the copies in its listed duplicate and near-duplicate groups.
    /// Empty until a report exists.
    /// </summary>
    public static IReadOnlyList<Guid> SuspectItemIds(this Dataset dataset)
    {
        var report = DatasetQualityJob.Read(dataset);
        return report is null ? [] : SuspectItemIds(report);
    }

    public static IReadOnlyList<Guid> SuspectItemIds(QualityReport report)
    {
        return report.ExactDuplicates.Listed.Concat(report.NearDuplicates.Listed)
            .SelectMany(g => g.Items.Select(i => i.Id))
            .Distinct()
            .ToList();
    }
}
