using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Core.Searches.Pipelines;
using AutoMLStudio.Engine.ActiveLearning;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Suggestions;

/// <param name="ModelId">A registered model; its newest version unless <paramref name="Version"/> names one.</param>
/// <param name="EndpointId">Instead of a model: the version an endpoint serves now.</param>
/// <param name="Strategy">uncertainty, margin (default), badge or random: the order in which the pool is to be labeled.</param>
/// <param name="Seed">Breaks ties and orders random; the same seed gives the same order.</param>
public sealed record SuggestLabelsRequest(Guid? ModelId = null, int? Version = null, Guid? EndpointId = null, string? Strategy = null, int? Seed = null);

/// <summary>Starts a model's pass over a dataset's unlabeled items (<see cref="SuggestLabelsJob"/>), checked first so the job only fails for what it cannot foresee.</summary>
public sealed class SuggestLabels(StudioDbContext db, IBackgroundJobs jobs)
{
    public async Task<LabelSuggestionRun> HandleAsync(Guid datasetId, SuggestLabelsRequest request, string? userId, CancellationToken ct)
    {
        var dataset = await db.Datasets.AsNoTracking().SingleOrDefaultAsync(d => d.Id == datasetId, ct) ?? throw UserInputException.NotFound("Dataset", datasetId);
        if (dataset.Status != DatasetStatus.Ready)
            throw new UserInputException("Dataset not ready", "Suggestions need the dataset's import to have finished.", 409);
        var strategy = (request.Strategy ?? LabelingQueue.Margin).Trim().ToLowerInvariant();
        if (!LabelingQueue.Strategies.Contains(strategy))
            throw new UserInputException("Unknown order", $"'{request.Strategy}' is not a labeling order. Use one of: {string.Join(", ", LabelingQueue.Strategies)}.");

        var versionId = await VersionIdAsync(request, ct);
        var version = await db.ModelVersions.AsNoTracking().Include(v => v.Model).SingleAsync(v => v.Id == versionId, ct);
        var task = version.Task;
        if (task != TaskPipelines.ClassifierTaskOf(dataset.Kind))
            throw new UserInputException("Model does not fit the dataset",
                $"'{version.Model?.Name}' v{version.Version} is a {task.Name().Replace('_', ' ')} model; the dataset holds {dataset.Kind.ToString().ToLowerInvariant()} data. Pick a classifier trained on this kind of data.");
        if (await db.LabelSuggestionRuns.AnyAsync(r => r.DatasetId == datasetId && (r.Status == SuggestionStatus.Queued || r.Status == SuggestionStatus.Running), ct))
            throw new UserInputException("Suggestions already running", "A model is already going through this dataset; wait until it has finished.", 409);

        var run = new LabelSuggestionRun
        {
            DatasetId = datasetId, ModelVersionId = versionId, ModelName = $"{version.Model?.Name} v{version.Version}", Strategy = strategy,
            Seed = request.Seed ?? Random.Shared.Next(1, int.MaxValue), CreatedBy = userId,
            Total = await db.DatasetItems.CountAsync(i => i.DatasetId == datasetId && i.Label == null, ct),
        };
        db.LabelSuggestionRuns.Add(run);
        await db.SaveChangesAsync(ct);
        jobs.EnqueueLabelSuggestions(run.Id);
        return run;
    }

    private async Task<Guid> VersionIdAsync(SuggestLabelsRequest request, CancellationToken ct)
    {
        if (request.EndpointId is { } endpointId)
            return await db.Endpoints.Where(e => e.Id == endpointId).Select(e => (Guid?)e.ModelVersionId).SingleOrDefaultAsync(ct)
                   ?? throw UserInputException.NotFound("Endpoint", endpointId);
        if (request.ModelId is not { } modelId)
            throw new UserInputException("Model missing", "Say which model suggests the labels: {\"modelId\": \"...\"} or {\"endpointId\": \"...\"}.");
        return await StartingModel.FindVersionAsync(db, modelId, request.Version, ct);
    }
}
