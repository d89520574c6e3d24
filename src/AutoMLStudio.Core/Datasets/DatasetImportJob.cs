using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Engine.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Core.Datasets;

/// <summary>
/// Decodes an uploaded zip into dataset items. Files go to a staging folder and rows into one transaction, so the
/// dataset appears whole or not at all; a rerun (duplicate delivery, restart) starts the import again from scratch.
/// Unreadable images are skipped and listed; the rest is imported.
/// </summary>
public sealed class DatasetImportJob(
    StudioDbContext db, IArtifactStore store, IOptions<StudioOptions> options, ILogger<DatasetImportJob> logger)
{
    public async Task RunAsync(Guid datasetId, CancellationToken ct)
    {
        var dataset = await db.Datasets.SingleOrDefaultAsync(d => d.Id == datasetId, ct);
        if (dataset is null || dataset.Status != DatasetStatus.Importing) return;

        var staging = store.FullPath(ArtifactPaths.DatasetStaging(datasetId));
        var upload = store.FullPath(ArtifactPaths.Upload(datasetId));
        try
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            var (items, issues) = await ImportAsync(dataset, upload, staging, ct);
            if (items.Count == 0)
            {
                await FailAsync(dataset, "No readable images were found in the zip: every file was skipped. " + Summarize(issues), issues, ct);
                return;
            }

            var final = store.FullPath(ArtifactPaths.DatasetFolder(datasetId));
            if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
            Directory.Move(staging, final);

            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.DatasetItems.Where(i => i.DatasetId == datasetId).ExecuteDeleteAsync(ct);
            db.DatasetItems.AddRange(items);
            dataset.Status = DatasetStatus.Ready;
            dataset.ItemCount = items.Count;
            dataset.LabeledCount = items.Count(i => i.Label is not null);
            dataset.ImportProgress = 1;
            dataset.ImportIssuesJson = JsonSerializer.Serialize(issues);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            File.Delete(upload);
            logger.LogInformation("Dataset {DatasetId} imported: {Items} items, {Skipped} skipped", datasetId, items.Count, issues.Count);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw; // shutting down: the row stays "importing" and the start-up reconciliation imports it again
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Import of dataset {DatasetId} failed", datasetId);
            db.ChangeTracker.Clear();
            dataset = await db.Datasets.SingleAsync(d => d.Id == datasetId, CancellationToken.None);
            await FailAsync(dataset, $"The import stopped because of an unexpected error: {ex.Message}. Try the upload again.", [], CancellationToken.None);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    private async Task<(List<DatasetItem> Items, List<ImportIssue> Issues)> ImportAsync(
        Dataset dataset, string uploadPath, string staging, CancellationToken ct)
    {
        var limits = options.Value.Import;
        var items = new List<DatasetItem>();
        var issues = new List<ImportIssue>();
        Directory.CreateDirectory(Path.Combine(staging, "items"));
        Directory.CreateDirectory(Path.Combine(staging, "thumbs"));

        using var zip = ZipFile.OpenRead(uploadPath);
        var entries = ClassFolderZip.Classify(zip, limits.MaxCompressionRatio);
        var progressClock = Stopwatch.StartNew();
        for (var n = 0; n < entries.Count; n++)
        {
            ct.ThrowIfCancellationRequested();
            var entry = entries[n];
            var problem = entry.Problem ?? TryImport(dataset.Id, entry, staging, limits, items);
            if (problem is not null) issues.Add(new ImportIssue(entry.ZipEntry.FullName, problem));

            if (progressClock.ElapsedMilliseconds > 500)
            {
                progressClock.Restart();
                var progress = (n + 1) / (double)entries.Count;
                await db.Datasets.Where(d => d.Id == dataset.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.ImportProgress, progress), ct);
            }
        }
        return (items, issues);
    }

    private string? TryImport(Guid datasetId, ClassFolderZip.Entry entry, string staging, ImportOptions limits, List<DatasetItem> items)
    {
        if (entry.ZipEntry.Length > limits.MaxImageBytes)
            return $"larger than the {limits.MaxImageBytes / (1024 * 1024)} MB limit for one image";

        byte[]? bytes;
        try { bytes = ClassFolderZip.ReadBounded(entry.ZipEntry, limits.MaxImageBytes); }
        catch (InvalidDataException) { return "damaged inside the zip"; }
        if (bytes is null) return $"unpacks to more than the {limits.MaxImageBytes / (1024 * 1024)} MB limit for one image";

        var probe = ImageDecoder.Probe(bytes);
        if (probe is null) return "not a readable image (the content is not PNG, JPEG, BMP, WebP or GIF)";
        if ((long)probe.Width * probe.Height > limits.MaxImagePixels)
            return $"{probe.Width}×{probe.Height} pixels is over the limit of {limits.MaxImagePixels:N0} pixels";

        byte[] thumbnail;
        long perceptualHash;
        try { (thumbnail, perceptualHash) = (ImageDecoder.Thumbnail(bytes, limits.ThumbnailSize), ImageDecoder.DifferenceHash(bytes)); }
        catch (InvalidDataException) { return "corrupt or truncated image"; }

        var itemId = Guid.NewGuid();
        var extension = Path.GetExtension(entry.ZipEntry.Name).ToLowerInvariant();
        File.WriteAllBytes(Path.Combine(staging, "items", $"{itemId:N}{extension}"), bytes);
        File.WriteAllBytes(Path.Combine(staging, "thumbs", $"{itemId:N}.png"), thumbnail);
        items.Add(new DatasetItem
        {
            Id = itemId,
            DatasetId = datasetId,
            StoragePath = ArtifactPaths.Item(datasetId, itemId, extension),
            OriginalName = entry.ZipEntry.FullName,
            Label = entry.Label,
            Width = probe.Width,
            Height = probe.Height,
            Channels = probe.Channels,
            ContentHash = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            PerceptualHash = perceptualHash,
        });
        return null;
    }

    private async Task FailAsync(Dataset dataset, string error, List<ImportIssue> issues, CancellationToken ct)
    {
        await db.DatasetItems.Where(i => i.DatasetId == dataset.Id).ExecuteDeleteAsync(ct);
        dataset.Status = DatasetStatus.Failed;
        dataset.Error = error;
        dataset.ImportIssuesJson = JsonSerializer.Serialize(issues);
        dataset.ItemCount = 0;
        dataset.LabeledCount = 0;
        await db.SaveChangesAsync(ct);
        File.Delete(store.FullPath(ArtifactPaths.Upload(dataset.Id)));
    }

    private static string Summarize(List<ImportIssue> issues) =>
        issues.Count == 0 ? "" : string.Join("; ", issues.Take(5).Select(i => $"{i.File}: {i.Reason}"))
                                 + (issues.Count > 5 ? $"; and {issues.Count - 5} more" : "");
}
