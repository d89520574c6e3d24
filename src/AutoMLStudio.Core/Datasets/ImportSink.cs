using System.Diagnostics;
using AutoMLStudio.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Datasets;

/// <summary>The user asked to stop the import; the job removes what it made.</summary>
public sealed class ImportCancelledException() : Exception("The import was cancelled.");

/// <summary>
/// Where an importer puts what it reads: items are written in small batches (so a 2 GB CSV never sits in memory)
/// while the dataset stays "importing", which hides them; the job flips the status only when everything is in.
/// Between files or rows the importer calls <see cref="CheckpointAsync"/>, which saves progress and notices a
/// cancel request.
/// </summary>
public sealed class ImportSink(StudioDbContext db, Dataset dataset, string uploadPath, string staging, ImportOptions limits)
{
    /// <summary>
    /// Skipped files or rows listed with their reason; the rest are only counted. A CSV of 200,000 ragged rows would
    /// otherwise make a 23 MB column that every dataset read and every restart of the import carries.
    /// </summary>
    public const int MaxListedIssues = 1_000;

    private const int BatchSize = 500;
    private readonly List<DatasetItem> _pending = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public Dataset Dataset { get; } = dataset;
    public string UploadPath { get; } = uploadPath;
    public string Staging { get; } = staging;
    public ImportOptions Limits { get; } = limits;
    /// <summary>The first <see cref="MaxListedIssues"/> skipped files or rows; <see cref="Skipped"/> counts them all.</summary>
    public List<ImportIssue> Issues { get; } = [];
    public int Skipped { get; private set; }
    public int Count { get; private set; }
    public int Labeled { get; private set; }

    public void Add(DatasetItem item)
    {
        _pending.Add(item);
        Count++;
        if (item.Label is not null) Labeled++;
    }

    public void Skip(string file, string reason)
    {
        Skipped++;
        if (Issues.Count < MaxListedIssues) Issues.Add(new ImportIssue(file, reason));
    }

    /// <summary>Writes a full batch, and at most every 300 ms saves the progress (0 to 1) and checks for a cancel request.</summary>
    public async Task CheckpointAsync(double progress, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (_pending.Count >= BatchSize) await FlushAsync(ct);
        if (_clock.ElapsedMilliseconds < 300) return;
        _clock.Restart();
        await db.Datasets.Where(d => d.Id == Dataset.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.ImportProgress, Math.Clamp(progress, 0, 0.99)), ct);
        await ThrowIfCancelRequestedAsync(ct);
    }

    public async Task ThrowIfCancelRequestedAsync(CancellationToken ct)
    {
        if (await db.Datasets.Where(d => d.Id == Dataset.Id).Select(d => d.CancelRequested).SingleAsync(ct))
            throw new ImportCancelledException();
    }

    public async Task FlushAsync(CancellationToken ct)
    {
        if (_pending.Count == 0) return;
        db.DatasetItems.AddRange(_pending);
        await db.SaveChangesAsync(ct);
        foreach (var item in _pending) db.Entry(item).State = EntityState.Detached;
        _pending.Clear();
    }
}
