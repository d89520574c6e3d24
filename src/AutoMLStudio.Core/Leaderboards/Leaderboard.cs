using System.Text.Json;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Searches;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Leaderboards;

/// <summary>One completed search's best model on the leaderboard.</summary>
/// <param name="Rank">1 is the best of its group.</param>
/// <param name="TestValue">The metric on the search's held-out test split.</param>
/// <param name="DatasetVersion">The version's number: versions split differently, so their test sets differ too.</param>
/// <param name="RegisteredAs">"name v3" when this trial was registered.</param>
public sealed record LeaderboardEntry(int Rank, Guid SearchId, Guid TrialId, int TrialNumber, double TestValue, double? TestAccuracy,
    double? ValMetric, long Params, long? Flops, double? LatencyMs, string Algorithm, int? DatasetVersion, DateTimeOffset? CompletedAt,
    string? RegisteredAs);

/// <summary>
/// Searches of one dataset that optimised the same thing, so that their numbers compare: same task and metric, and for
/// the cost of mistakes the same cost matrix.
/// </summary>
public sealed record LeaderboardGroup(Guid DatasetId, string DatasetName, string Task, string Metric, string MetricDisplayName,
    bool LowerIsBetter, double[]?[]? CostMatrix, IReadOnlyList<LeaderboardEntry> Entries);

/// <summary>A dataset the board can be limited to.</summary>
public sealed record LeaderboardDataset(Guid Id, string Name);

/// <summary>
/// The best model of every completed search, ranked by its test metric within groups whose numbers compare (see
/// <see cref="LeaderboardGroup"/>), for one dataset or the whole studio.
/// </summary>
public sealed class Leaderboard(StudioDbContext db)
{
    /// <summary>Every dataset by name, for the board's dataset filter.</summary>
    public async Task<IReadOnlyList<LeaderboardDataset>> DatasetsAsync(CancellationToken ct) =>
        await db.Datasets.AsNoTracking().OrderBy(d => d.Name).Select(d => new LeaderboardDataset(d.Id, d.Name)).ToListAsync(ct);

    public async Task<IReadOnlyList<LeaderboardGroup>> RankAsync(Guid? datasetId, CancellationToken ct)
    {
        var searches = await db.Searches.AsNoTracking()
            .Where(s => s.Status == SearchStatus.Completed && s.BestTrialId != null && s.TestEvaluation != null)
            .Where(s => datasetId == null || s.DatasetId == datasetId)
            .ToListAsync(ct);
        var bestIds = searches.Select(s => s.BestTrialId!.Value).ToList();
        var trials = await db.Trials.AsNoTracking().Where(t => bestIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, ct);
        var datasetIds = searches.Select(s => s.DatasetId).Distinct().ToList();
        var datasets = await db.Datasets.AsNoTracking().Where(d => datasetIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        var versionIds = searches.Select(s => s.DatasetVersionId).OfType<Guid>().Distinct().ToList();
        var versions = await db.DatasetVersions.AsNoTracking().Where(v => versionIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.Number, ct);
        var registered = (await db.ModelVersions.AsNoTracking().Include(v => v.Model).Where(v => bestIds.Contains(v.TrialId)).ToListAsync(ct))
            .GroupBy(v => v.TrialId).ToDictionary(g => g.Key, g => g.OrderByDescending(v => v.Version).Select(v => $"{v.Model!.Name} v{v.Version}").First());

        var scored = searches
            .Select(s => (Search: s, Test: s.TestEvaluation, Best: trials.GetValueOrDefault(s.BestTrialId!.Value)))
            .Where(x => x.Test?.MetricValue is { } value && double.IsFinite(value) && x.Best is not null)
            .ToList();
        return [.. scored
            .GroupBy(x => (x.Search.DatasetId, x.Search.Task, x.Search.Metric, Costs: CostKey(x.Search)))
            .Select(group =>
            {
                var first = group.First().Search;
                var metric = first.MetricDefinition();
                var ranked = group.OrderByDescending(x => metric.Maximised(x.Test!.MetricValue!.Value)).ThenBy(x => x.Best!.Params)
                    .ThenBy(x => x.Search.CompletedAt).ToList();
                return new LeaderboardGroup(first.DatasetId, datasets.GetValueOrDefault(first.DatasetId, "(deleted dataset)"), first.Task.Name(),
                    metric.Name, metric.DisplayName, metric.LowerIsBetter, first.Objective.CostMatrix,
                    [.. ranked.Select((x, i) => new LeaderboardEntry(i + 1, x.Search.Id, x.Best!.Id, x.Best.Number, x.Test!.MetricValue!.Value,
                        x.Test.Rmse is null ? x.Test.Accuracy : null, x.Best.ValMetric, x.Best.Params, x.Best.Flops, x.Best.LatencyMs,
                        x.Search.Algorithm.Name(), x.Search.DatasetVersionId is { } v ? versions.GetValueOrDefault(v) : null, x.Search.CompletedAt,
                        registered.GetValueOrDefault(x.Best.Id)))]);
            })
            .OrderBy(g => g.DatasetName, StringComparer.OrdinalIgnoreCase).ThenBy(g => g.Metric)];
    }

    // Costs only compare under the same matrix; other metrics need no key.
    private static string CostKey(Search search) =>
        search.Objective.CostMatrix is { } costs ? JsonSerializer.Serialize(costs) : "";
}
