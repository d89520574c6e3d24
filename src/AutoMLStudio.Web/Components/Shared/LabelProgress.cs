using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Searches;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Web.Components.Shared;

/// <summary>One finished search of a dataset: how many labeled items it trained and tested on, and its test accuracy.</summary>
public sealed record LabelRound(Guid SearchId, int Labels, double Accuracy, DateTimeOffset CompletedAt);

public static class LabelProgress
{
    /// <summary>The dataset's completed classifier searches, fewest labels first: the labeling loop's rounds.</summary>
    public static async Task<List<LabelRound>> RoundsAsync(StudioDbContext db, Guid datasetId, CancellationToken ct)
    {
        var searches = await db.Searches.AsNoTracking()
            .Where(s => s.DatasetId == datasetId && s.Status == SearchStatus.Completed && s.TestEvaluation != null && s.DatasetVersionId != null)
            .Join(db.DatasetVersions, s => s.DatasetVersionId, v => v.Id, (s, v) => new { Search = s, v.ItemCount })
            .ToListAsync(ct);
        return [.. searches
            .Where(x => !SearchTasks.IsRegression(x.Search.Task) && x.Search.TestEvaluation is not null)
            .Select(x => new LabelRound(x.Search.Id, x.ItemCount, x.Search.TestEvaluation!.Accuracy, x.Search.CompletedAt ?? x.Search.CreatedAt))
            .OrderBy(r => r.Labels).ThenBy(r => r.CompletedAt)];
    }
}
