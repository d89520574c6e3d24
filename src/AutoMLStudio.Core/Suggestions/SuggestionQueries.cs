using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Core.Searches.Pipelines;
using AutoMLStudio.Engine.ActiveLearning;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Suggestions;

/// <summary>A model's pass over a dataset's unlabeled items: done of total items.</summary>
public sealed record SuggestionRunView(Guid Id, Guid DatasetId, Guid ModelVersionId, string ModelName, SuggestionStatus Status, string Strategy,
    int Seed, int Total, int Done, string? Error, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt)
{
    public static SuggestionRunView From(LabelSuggestionRun r) =>
        new(r.Id, r.DatasetId, r.ModelVersionId, r.ModelName, r.Status, r.Strategy, r.Seed, r.Total, r.Done, r.Error, r.CreatedAt, r.CompletedAt);
}

/// <summary>A registered model version a person can pick, named "name vN".</summary>
public sealed record ModelVersionChoice(Guid ModelId, int Version, string Label);

/// <summary>The orders a suggestion run can rank the unlabeled pool in (the Engine's labeling queue names them).</summary>
public static class SuggestionStrategies
{
    public const string Margin = LabelingQueue.Margin;
    public const string Uncertainty = LabelingQueue.Uncertainty;
    public const string Badge = LabelingQueue.Badge;
    public const string Random = LabelingQueue.Random;
}

public sealed class SuggestionQueries(StudioDbContext db)
{
    /// <summary>The newest suggestion run of the dataset, or null before any.</summary>
    public async Task<SuggestionRunView?> LatestAsync(Guid datasetId, CancellationToken ct)
    {
        var run = await db.LabelSuggestionRuns.AsNoTracking().Where(r => r.DatasetId == datasetId).OrderByDescending(r => r.CreatedAt)
            .FirstOrDefaultAsync(ct);
        return run is null ? null : SuggestionRunView.From(run);
    }

    /// <summary>
    /// Registered classifiers of a kind of data, by name, newest version of each name first (at most 100): what can suggest
    /// labels for such a dataset, or start an image search. Versions from before tasks were stored are image classifiers.
    /// </summary>
    public async Task<List<ModelVersionChoice>> ClassifiersAsync(DatasetKind kind, CancellationToken ct)
    {
        var task = TaskPipelines.ClassifierTaskOf(kind);
        var versions = await db.ModelVersions.AsNoTracking().Where(v => v.Task == task)
            .Select(v => new { v.ModelId, v.Model!.Name, v.Version }).ToListAsync(ct);
        return versions.OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase).ThenByDescending(v => v.Version).Take(100)
            .Select(v => new ModelVersionChoice(v.ModelId, v.Version, $"{v.Name} v{v.Version}")).ToList();
    }
}
