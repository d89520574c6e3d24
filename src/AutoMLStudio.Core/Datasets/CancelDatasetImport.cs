using AutoMLStudio.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Datasets;

/// <summary>
/// Asks a running import to stop. The job notices at its next file or row, removes everything it made and marks
/// the dataset failed with the error written here ("Cancelled by ..."); a queued job does the same when it starts.
/// </summary>
public sealed class CancelDatasetImport(StudioDbContext db, TimeProvider clock)
{
    public async Task HandleAsync(Guid datasetId, string? userName, CancellationToken ct)
    {
        var error = $"Cancelled by {(string.IsNullOrWhiteSpace(userName) ? "a user" : userName)} at {clock.GetUtcNow():yyyy-MM-dd HH:mm} UTC.";
        var updated = await db.Datasets.Where(d => d.Id == datasetId && d.Status == DatasetStatus.Importing)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.CancelRequested, true).SetProperty(d => d.Error, error), ct);
        if (updated > 0) return;
        if (!await db.Datasets.AnyAsync(d => d.Id == datasetId, ct)) throw UserInputException.NotFound("Dataset", datasetId);
        throw new UserInputException("Import already finished", "The import has already finished, so there is nothing to cancel.", 409);
    }
}
