using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Hosting;

/// <summary>Stores an uploaded batch file and queues its prediction.</summary>
public sealed class StartBatchPrediction(StudioDbContext db, IArtifactStore store, IBackgroundJobs jobs)
{
    public async Task<BatchPrediction> HandleAsync(Guid endpointId, string fileName, Stream content, string? userId, CancellationToken ct)
    {
        if (!await db.Endpoints.AnyAsync(e => e.Id == endpointId, ct)) throw UserInputException.NotFound("Endpoint", endpointId);
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (extension is not (".zip" or ".csv" or ".tsv" or ".txt"))
            throw new UserInputException("Unsupported file", $"'{fileName}' is not a zip of images or a CSV of rows. Send a .zip or a .csv file.", 415);

        var batch = new BatchPrediction { EndpointId = endpointId, FileName = Path.GetFileName(fileName), InputPath = "", CreatedBy = userId };
        batch.InputPath = $"endpoints/{endpointId:N}/batches/{batch.Id:N}/input{extension}";
        var path = store.FullPath(batch.InputPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var file = File.Create(path)) await content.CopyToAsync(file, ct);
        if (new FileInfo(path).Length == 0)
        {
            File.Delete(path);
            throw new UserInputException("Empty file", $"'{fileName}' is empty.");
        }
        db.BatchPredictions.Add(batch);
        await db.SaveChangesAsync(ct);
        jobs.EnqueueBatchPrediction(batch.Id);
        return batch;
    }
}
