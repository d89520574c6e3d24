using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Hosting;

/// <summary>A batch prediction's progress.</summary>
public sealed record BatchPredictionView(Guid Id, Guid EndpointId, string FileName, BatchStatus Status, int Done, int Failed, int? Total, string? Error,
    DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt)
{
    /// <summary>Where a completed batch's results are downloaded; null until then.</summary>
    public string? ResultsUrl => Status == BatchStatus.Completed ? $"/api/v1/endpoints/{EndpointId}/batches/{Id}/results.csv" : null;

    /// <summary>How far it has got, 0 to 100; 0 while the total is not known.</summary>
    public double Percent => Total is > 0 and var total ? 100.0 * Done / total : 0;

    public static BatchPredictionView From(BatchPrediction b) =>
        new(b.Id, b.EndpointId, b.FileName, b.Status, b.Done, b.Failed, b.Total, b.Error, b.CreatedAt, b.CompletedAt);
}

/// <summary>The batch predictions of an endpoint, as its page and the batches API read them.</summary>
public sealed class BatchPredictionQueries(StudioDbContext db, IArtifactStore store)
{
    /// <summary>Newest first.</summary>
    public async Task<Page<BatchPredictionView>> ListAsync(Guid endpointId, PageRequest page, CancellationToken ct)
    {
        var batches = await db.BatchPredictions.AsNoTracking().Where(b => b.EndpointId == endpointId).OrderByDescending(b => b.CreatedAt).ThenBy(b => b.Id)
            .PageAsync(page, ct);
        return new Page<BatchPredictionView>([.. batches.Items.Select(BatchPredictionView.From)], batches.Total);
    }

    /// <exception cref="UserInputException">404 when the endpoint has no such batch.</exception>
    public async Task<BatchPredictionView> GetAsync(Guid endpointId, Guid batchId, CancellationToken ct) =>
        BatchPredictionView.From(await FindAsync(endpointId, batchId, ct));

    /// <summary>A finished batch's results CSV.</summary>
    /// <exception cref="UserInputException">404 when the endpoint has no such batch; 409 while it has not completed.</exception>
    public async Task<DownloadFile> ResultsAsync(Guid endpointId, Guid batchId, CancellationToken ct)
    {
        var batch = await FindAsync(endpointId, batchId, ct);
        if (batch is not { Status: BatchStatus.Completed, ResultPath: { } path })
            throw new UserInputException("Not finished", $"The batch is {batch.Status.ToString().ToLowerInvariant()}; its results come when it has completed.", 409);
        return new DownloadFile($"{Path.GetFileNameWithoutExtension(batch.FileName)}-predictions.csv", "text/csv", Path: store.FullPath(path));
    }

    private async Task<BatchPrediction> FindAsync(Guid endpointId, Guid batchId, CancellationToken ct) =>
        await db.BatchPredictions.AsNoTracking().SingleOrDefaultAsync(b => b.Id == batchId && b.EndpointId == endpointId, ct)
        ?? throw UserInputException.NotFound("Batch prediction", batchId);
}
