using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Core.Searches.Pipelines;
using AutoMLStudio.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Core.Hosting;

/// <summary>
/// Predicts a batch file in chunks through the endpoint's hosted model and writes one results line per input: the
/// input's name (images), its cells (rows) or its text, then label, score and every class's probability (or the value
/// of a regression), or the reason it could not be predicted. A bad input fails its own line, never the batch.
/// </summary>
public sealed class BatchPredictionJob(StudioDbContext db, IArtifactStore store, HostedModels hosted, IOptions<StudioOptions> options,
    ILogger<BatchPredictionJob> logger)
{
    private const int Chunk = 64;

    public async Task RunAsync(Guid batchId, CancellationToken ct)
    {
        var batch = await db.BatchPredictions.SingleOrDefaultAsync(b => b.Id == batchId, ct);
        if (batch is null || batch.Status is BatchStatus.Completed or BatchStatus.Failed) return;
        (batch.Status, batch.Done, batch.Failed) = (BatchStatus.Running, 0, 0);
        await db.SaveChangesAsync(ct);
        try
        {
            using var lease = await hosted.AcquireAsync(batch.EndpointId, ct);
            var csv = await PredictAsync(batch, lease.Predictor, ct);
            batch.ResultPath = $"endpoints/{batch.EndpointId:N}/batches/{batch.Id:N}/results.csv";
            await AtomicFile.WriteAllBytesAsync(store.FullPath(batch.ResultPath), Encoding.UTF8.GetBytes(csv.ToString()), ct);
            (batch.Status, batch.CompletedAt) = (BatchStatus.Completed, DateTimeOffset.UtcNow);
        }
        catch (Exception e) when (e is UserInputException or InvalidDataException or IOException)
        {
            (batch.Status, batch.Error, batch.CompletedAt) = (BatchStatus.Failed, e is UserInputException u ? u.Detail : e.Message, DateTimeOffset.UtcNow);
            logger.LogWarning("Batch prediction {BatchId} failed: {Error}", batch.Id, batch.Error);
        }
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private async Task<StringBuilder> PredictAsync(BatchPrediction batch, ModelPredictor predictor, CancellationToken ct)
    {
        var input = store.FullPath(batch.InputPath);
        var csv = new StringBuilder();
        var classes = predictor.Card.Classes;
        var outputs = classes.Count == 0 ? new[] { "value" } : ["label", "score", .. classes.Select(c => $"p_{c}")];
        if (predictor.TakesImages)
        {
            if (!batch.InputPath.EndsWith(".zip", StringComparison.Ordinal))
                throw new UserInputException("Images expected", "This endpoint's model reads images: upload a zip of image files.");
            CsvCells.Row(csv, ["file", .. outputs, "error"]);
            await ImagesAsync(batch, predictor, input, csv, ct);
        }
        else
        {
            if (batch.InputPath.EndsWith(".zip", StringComparison.Ordinal))
                throw new UserInputException("Rows expected", "This endpoint's model reads rows: upload a CSV with a header line.");
            await RowsAsync(batch, predictor, input, outputs, csv, ct);
        }
        return csv;
    }

    private async Task ImagesAsync(BatchPrediction batch, ModelPredictor predictor, string input, StringBuilder csv, CancellationToken ct)
    {
        using var zip = ZipFile.OpenRead(input);
        var entries = zip.Entries.Where(e => e.Length > 0 && !e.FullName.EndsWith('/') && !Path.GetFileName(e.FullName).StartsWith('.')).ToList();
        batch.Total = entries.Count;
        var limit = options.Value.Import.MaxImageBytes;
        foreach (var chunk in entries.Chunk(Chunk))
        {
            foreach (var entry in chunk)
            {
                string[] cells;
                try
                {
                    if (entry.Length > limit) throw new UserInputException("Image too large", $"larger than the {limit / (1024 * 1024)} MB limit for one image");
                    using var stream = entry.Open();
                    using var buffer = new MemoryStream();
                    await stream.CopyToAsync(buffer, ct);
                    cells = Cells(predictor.PredictImages([buffer.ToArray()], [entry.FullName])[0], predictor.Card.Classes);
                }
                catch (Exception e) when (e is UserInputException or InvalidDataException)
                {
                    cells = Failed(batch, e, predictor.Card.Classes);
                }
                CsvCells.Row(csv, [CsvCells.Text(entry.FullName), .. cells]);
            }
            await ProgressAsync(batch, chunk.Length, ct);
        }
    }

    private async Task RowsAsync(BatchPrediction batch, ModelPredictor predictor, string input, string[] outputs, StringBuilder csv, CancellationToken ct)
    {
        using var reader = CsvReader.Open(() => File.OpenRead(input), options.Value.Import.MaxFieldBytes);
        var header = reader.Read() ?? throw new UserInputException("Empty CSV", "The CSV has no header line.");
        var names = header.Fields;
        TaskPipelines.ModelsOf(predictor.Card.Task).CheckCsvHeader(names);
        CsvCells.Row(csv, [.. names.Select(CsvCells.Text), .. outputs, "error"]);
        var chunk = new List<CsvReader.CsvRecord>(Chunk);
        while (reader.Read() is { } record)
        {
            chunk.Add(record);
            if (chunk.Count == Chunk) await RowChunkAsync(batch, predictor, names, chunk, csv, ct);
        }
        if (chunk.Count > 0) await RowChunkAsync(batch, predictor, names, chunk, csv, ct);
        batch.Total = batch.Done;
    }

    private async Task RowChunkAsync(BatchPrediction batch, ModelPredictor predictor, IReadOnlyList<string> names, List<CsvReader.CsvRecord> chunk,
        StringBuilder csv, CancellationToken ct)
    {
        foreach (var record in chunk)
        {
            string[] cells;
            try
            {
                if (record.Problem is { } problem) throw new UserInputException("Bad line", problem);
                var instance = new Dictionary<string, string?>(StringComparer.Ordinal);
                for (var i = 0; i < names.Count; i++) instance[names[i]] = i < record.Fields.Count ? record.Fields[i] : null;
                using var json = JsonDocument.Parse(JsonSerializer.Serialize(instance));
                cells = Cells(predictor.PredictInstances([json.RootElement])[0], predictor.Card.Classes);
            }
            catch (UserInputException e)
            {
                cells = Failed(batch, e, predictor.Card.Classes);
            }
            CsvCells.Row(csv, [.. record.Fields.Select(CsvCells.Text), .. cells]);
        }
        await ProgressAsync(batch, chunk.Count, ct);
        chunk.Clear();
    }

    private async Task ProgressAsync(BatchPrediction batch, int count, CancellationToken ct)
    {
        batch.Done += count;
        await db.SaveChangesAsync(ct);
    }

    private static string[] Cells(Prediction prediction, IReadOnlyList<string> classes) => prediction.Value is { } value
        ? [Number(value), ""]
        : [CsvCells.Text(prediction.Label), Number(prediction.Score!.Value), .. classes.Select(c => Number(prediction.Scores![c])), ""];

    private static string[] Failed(BatchPrediction batch, Exception e, IReadOnlyList<string> classes)
    {
        batch.Failed++;
        var reason = e is UserInputException u ? u.Detail : e.Message;
        return [.. Enumerable.Repeat("", classes.Count == 0 ? 1 : classes.Count + 2), CsvCells.Text(reason)];
    }

    private static string Number(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
