using System.Text.Json;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Core.Datasets;

/// <summary>How a dataset's data came in (<see cref="Dataset.Source"/>); the import job picks the importer by it.</summary>
public static class DatasetSources
{
    public const string ClassFolders = "class-folders";
    public const string LooseImages = "loose-images";
    public const string LabelsCsv = "labels-csv";
    public const string ServerFolder = "server-folder";
    public const string Csv = "csv";
    public const string TextCsv = "text-csv";
    public const string TextFolders = "text-folders";
}

/// <summary>
/// Runs the importer for the dataset's source. Files go to a staging folder and rows are written in batches while
/// the dataset is "importing"; only when all is in does the status turn "ready", so the dataset appears whole or
/// not at all. A failure or a cancel removes every row and file it made. A rerun (duplicate delivery, restart)
/// starts the import again from scratch. Unreadable files and rows are skipped and listed; the rest is imported.
/// </summary>
public sealed class DatasetImportJob(
    StudioDbContext db, IArtifactStore store, IOptions<StudioOptions> options, ILogger<DatasetImportJob> logger)
{
    public async Task RunAsync(Guid datasetId, CancellationToken ct)
    {
        // Not tracked: EF would otherwise add every imported item to dataset.Items and scan that growing list on each
        // batch's SaveChanges, which made a 70,000-image import ten times slower. The row is written with ExecuteUpdate.
        var dataset = await db.Datasets.AsNoTracking().SingleOrDefaultAsync(d => d.Id == datasetId, ct);
        if (dataset is null || dataset.Status != DatasetStatus.Importing) return;

        var staging = store.FullPath(ArtifactPaths.DatasetStaging(datasetId));
        var final = store.FullPath(ArtifactPaths.DatasetFolder(datasetId));
        var upload = store.FullPath(ArtifactPaths.Upload(datasetId));
        var sink = new ImportSink(db, dataset, upload, staging, options.Value.Import);
        try
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            await db.DatasetItems.Where(i => i.DatasetId == datasetId).ExecuteDeleteAsync(ct);
            await sink.ThrowIfCancelRequestedAsync(ct);

            await ImportAsync(sink, ct);
            await sink.FlushAsync(ct);
            if (sink.Count == 0)
            {
                await FailAsync(dataset.Id, NothingImported(dataset) + Summarize(sink.Issues, sink.Skipped), sink.Issues, sink.Skipped, ct);
                return;
            }
            var labeled = dataset is { Kind: DatasetKind.Tabular, Task: DatasetTasks.Regression }
                ? await ChangeDatasetSchema.RecomputeLabelsAsync(db, dataset.Id, dataset.LabelColumn!, DatasetTasks.Regression, ct)
                : sink.Labeled;
            await sink.ThrowIfCancelRequestedAsync(ct);

            if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
            if (Directory.Exists(staging)) Directory.Move(staging, final);

            // One conditional update: a cancel that arrived meanwhile wins, and the dataset never shows as ready.
            var issues = sink.Issues.ToList();
            var done = await db.Datasets.Where(d => d.Id == datasetId && d.Status == DatasetStatus.Importing && !d.CancelRequested)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.Status, DatasetStatus.Ready)
                    .SetProperty(d => d.ItemCount, sink.Count)
                    .SetProperty(d => d.LabeledCount, labeled)
                    .SetProperty(d => d.ImportProgress, 1)
                    .SetProperty(d => d.ImportIssues, issues)
                    .SetProperty(d => d.ImportSkippedCount, sink.Skipped)
                    .SetProperty(d => d.Columns, dataset.Columns)
                    .SetProperty(d => d.Task, dataset.Task), ct);
            if (done == 0) throw new ImportCancelledException();
            File.Delete(upload);
            logger.LogInformation("Dataset {DatasetId} imported: {Items} items, {Skipped} skipped", datasetId, sink.Count, sink.Skipped);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw; // shutting down: the row stays "importing" and the start-up reconciliation imports it again
        }
        catch (ImportCancelledException)
        {
            logger.LogInformation("Import of dataset {DatasetId} cancelled", datasetId);
            DeleteFolder(final);
            var by = await db.Datasets.Where(d => d.Id == datasetId).Select(d => d.Error).SingleAsync(CancellationToken.None);
            await FailAsync(datasetId, by ?? "Cancelled.", [], 0, CancellationToken.None);
        }
        catch (UserInputException ex)
        {
            DeleteFolder(final);
            await FailAsync(datasetId, ex.Detail, sink.Issues, sink.Skipped, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Import of dataset {DatasetId} failed", datasetId);
            DeleteFolder(final);
            await FailAsync(datasetId, $"The import stopped because of an unexpected error: {ex.Message}. Try the upload again.", [], 0, CancellationToken.None);
        }
        finally
        {
            DeleteFolder(staging);
        }
    }

    private Task ImportAsync(ImportSink sink, CancellationToken ct) => sink.Dataset.Source switch
    {
        DatasetSources.ClassFolders => ImageZipImport.RunAsync(sink, ZipContent.ImagesInClassFolders, ct),
        DatasetSources.LooseImages => ImageZipImport.RunAsync(sink, ZipContent.LooseImages, ct),
        DatasetSources.LabelsCsv => LabelsCsvImport.RunAsync(sink, ct),
        DatasetSources.ServerFolder => ImportServerFolder.RunAsync(sink, options.Value.Import.ServerFolders, ct),
        DatasetSources.Csv => CsvTableImport.RunAsync(sink, ct),
        DatasetSources.TextCsv => TextImport.RunCsvAsync(sink, ct),
        DatasetSources.TextFolders => TextImport.RunFoldersAsync(sink, ct),
        var other => throw new InvalidOperationException($"Unknown dataset source '{other}'."),
    };

    private static string NothingImported(Dataset dataset) => dataset.Kind switch
    {
        DatasetKind.Tabular => "No usable rows were found in the CSV: every row was skipped. ",
        DatasetKind.Text => dataset.Source == DatasetSources.TextCsv
            ? "No usable texts were found in the CSV: every row was skipped. "
            : "No readable text files were found in the zip: every file was skipped. ",
        _ => "No readable images were found in the zip: every file was skipped. ",
    };

    private async Task FailAsync(Guid datasetId, string error, List<ImportIssue> issues, int skipped, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await db.DatasetItems.Where(i => i.DatasetId == datasetId).ExecuteDeleteAsync(ct);
        await db.Datasets.Where(d => d.Id == datasetId).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, DatasetStatus.Failed)
            .SetProperty(d => d.Error, error)
            .SetProperty(d => d.ImportIssues, issues)
            .SetProperty(d => d.ImportSkippedCount, skipped)
            .SetProperty(d => d.ItemCount, 0)
            .SetProperty(d => d.LabeledCount, 0), ct);
        File.Delete(store.FullPath(ArtifactPaths.Upload(datasetId)));
    }

    private static void DeleteFolder(string path)
    {
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
    }

    private static string Summarize(List<ImportIssue> issues, int skipped) =>
        issues.Count == 0 ? "" : string.Join("; ", issues.Take(5).Select(i => $"{i.File}: {i.Reason}"))
                                 + (skipped > 5 ? $"; and {skipped - 5:N0} more" : "");
}
