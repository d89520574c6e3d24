using System.Text.Json;
using AutoMLStudio.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AutoMLStudio.Core.Datasets;

/// <summary>Recomputes a dataset's quality report and stores it. Rerunning it only recomputes.</summary>
public sealed class DatasetQualityJob(StudioDbContext db, ComputeQuality compute, ILogger<DatasetQualityJob> logger)
{
    public async Task RunAsync(Guid datasetId, CancellationToken ct)
    {
        // Cleared before reading, so an edit made from here on queues another run instead of being missed.
        await db.Datasets.Where(d => d.Id == datasetId).ExecuteUpdateAsync(s => s.SetProperty(d => d.QualityQueuedAt, (DateTime?)null), ct);
        var dataset = await db.Datasets.AsNoTracking().SingleOrDefaultAsync(d => d.Id == datasetId, ct);
        if (dataset is null || dataset.Status != DatasetStatus.Ready) return;

        var report = await compute.HandleAsync(datasetId, ct);

        // Two runs can overlap (an edit during a run queues the next); the report of the later read wins, whichever ends last.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var stored = await db.Datasets.SingleAsync(d => d.Id == datasetId, ct);
        if (stored.QualityComputedAt is { } newer && newer >= report.ComputedAt) return;
        stored.Quality = report;
        stored.QualityComputedAt = report.ComputedAt;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Quality report of dataset {DatasetId}: {Warnings} warning(s)", datasetId, report.Warnings.Count);
    }

    public static QualityReport? Read(Dataset dataset) => dataset.Quality;
}

/// <summary>
/// Queues a quality recomputation unless one is already queued (a labeling session edits many labels; one run after
/// them is enough). The queued mark is a column, so it holds across nodes; a mark older than
/// <see cref="StaleAfter"/> is taken as lost and queued again.
/// </summary>
public sealed class RequestQualityReport(StudioDbContext db, IBackgroundJobs jobs, TimeProvider clock)
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(10);

    public async Task<bool> HandleAsync(Guid datasetId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var staleBefore = now - StaleAfter;
        var marked = await db.Datasets
            .Where(d => d.Id == datasetId && (d.QualityQueuedAt == null || d.QualityQueuedAt < staleBefore))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.QualityQueuedAt, now), ct);
        if (marked == 0) return false;
        jobs.EnqueueQuality(datasetId);
        return true;
    }
}
