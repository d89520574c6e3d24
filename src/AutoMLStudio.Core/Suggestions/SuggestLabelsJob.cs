using System.Text.Json;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Engine.ActiveLearning;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AutoMLStudio.Core.Suggestions;

/// <summary>
/// Runs a registered model (through ONNX Runtime, as its endpoint would) over the dataset's unlabeled items, writes
/// each one's suggested label and confidence, then orders the pool for labeling (<see cref="LabelingQueue"/>) and
/// writes each item's place in that order. Labeled items are never touched: a suggestion only becomes a label when a
/// person confirms it.
/// </summary>
public sealed class SuggestLabelsJob(StudioDbContext db, IArtifactStore store, HostedModels models, TimeProvider clock, ILogger<SuggestLabelsJob> logger)
{
    private const int Batch = 64;
    /// <summary>The diverse head of the order: about what a person labels in one sitting.</summary>
    public const int OrderBatch = 200;

    public async Task RunAsync(Guid runId, CancellationToken ct)
    {
        var run = await db.LabelSuggestionRuns.SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null || run.Status is SuggestionStatus.Completed or SuggestionStatus.Failed) return;
        try
        {
            var version = await db.ModelVersions.AsNoTracking().SingleAsync(v => v.Id == run.ModelVersionId, ct);
            using var predictor = models.Load(version);
            run.Status = SuggestionStatus.Running;
            run.Done = 0;
            await db.SaveChangesAsync(ct);
            await db.DatasetItems.Where(i => i.DatasetId == run.DatasetId).ExecuteUpdateAsync(s => s
                .SetProperty(i => i.SuggestedLabel, (string?)null).SetProperty(i => i.SuggestedConfidence, (double?)null)
                .SetProperty(i => i.SuggestionRank, (int?)null).SetProperty(i => i.SuggestionWhy, (string?)null), ct);

            var ids = await db.DatasetItems.AsNoTracking().Where(i => i.DatasetId == run.DatasetId && i.Label == null)
                .OrderBy(i => i.OriginalName).ThenBy(i => i.Id).Select(i => i.Id).ToListAsync(ct);
            run.Total = ids.Count;
            var probabilities = new List<float[]>(ids.Count);
            var scored = new List<Guid>(ids.Count);
            foreach (var chunk in ids.Chunk(Batch))
            {
                // Items deleted since the pool was listed are simply left out.
                var found = (await db.DatasetItems.Where(i => chunk.Contains(i.Id)).ToListAsync(ct)).ToDictionary(i => i.Id);
                var items = chunk.Where(found.ContainsKey).Select(id => found[id]).ToList();
                var predictions = Predict(predictor, items);
                for (var n = 0; n < items.Count; n++)
                {
                    var scores = predictions[n].Scores!;
                    probabilities.Add([.. predictor.Card.Classes.Select(c => (float)scores.GetValueOrDefault(c))]);
                    scored.Add(items[n].Id);
                    items[n].SuggestedLabel = predictions[n].Label;
                    items[n].SuggestedConfidence = predictions[n].Score;
                }
                run.Done += items.Count;
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
                db.Attach(run);
            }

            var order = scored.Count == 0 ? [] : LabelingQueue.Order(new LabelingRequest(probabilities, run.Strategy, OrderBatch, run.Seed,
                ClassNames: predictor.Card.Classes));
            var ranks = order.Select((item, rank) => (Id: scored[item.Index], Rank: rank, item.Why)).ToList();
            foreach (var chunk in ranks.Chunk(500))
            {
                var chunkIds = chunk.Select(c => c.Id).ToList();
                var items = await db.DatasetItems.Where(i => chunkIds.Contains(i.Id)).ToListAsync(ct);
                foreach (var item in items)
                {
                    var (_, rank, why) = chunk.First(c => c.Id == item.Id);
                    item.SuggestionRank = rank;
                    item.SuggestionWhy = why;
                }
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
            }
            db.Attach(run);
            run.Status = SuggestionStatus.Completed;
            run.CompletedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Suggested labels for {Count} items of dataset {DatasetId} with {Model}", ids.Count, run.DatasetId, run.ModelName);
        }
        // Any failure ends the run as failed with its reason: a run left "running" would block the next one. Starting
        // again is one click, and suggestions change no label.
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Label suggestions {RunId} failed", runId);
            db.ChangeTracker.Clear();
            await db.LabelSuggestionRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, SuggestionStatus.Failed)
                .SetProperty(r => r.Error, ex is UserInputException user ? user.Detail : ex.Message)
                .SetProperty(r => r.CompletedAt, clock.GetUtcNow()), CancellationToken.None);
        }
    }

    private IReadOnlyList<Prediction> Predict(ModelPredictor predictor, IReadOnlyList<DatasetItem> items)
    {
        if (predictor.TakesImages)
            return predictor.PredictImages([.. items.Select(i => File.ReadAllBytes(store.FullPath(i.StoragePath!)))], [.. items.Select(i => i.OriginalName)]);
        var instances = items.Select(i => i.Text is { } text
            ? JsonSerializer.SerializeToElement(new { text })
            : JsonDocument.Parse(i.ValuesJson ?? "{}").RootElement.Clone()).ToList();
        return predictor.PredictInstances(instances);
    }
}
