using System.Security.Cryptography;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Engine.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Core.Hosting;

/// <summary>
/// Puts inputs an endpoint was unsure of into the unlabeled pool of the dataset its model was trained on, so a person
/// labels them and the next search learns from the hard cases. Inputs already in the dataset (same content) are skipped.
/// </summary>
public sealed class SendToDataset(StudioDbContext db, IArtifactStore store, EndpointMonitor monitor, IOptions<StudioOptions> options)
{
    public sealed record Result(Guid DatasetId, string DatasetName, int Added, int AlreadyThere);

    public async Task<Result> HandleAsync(Guid endpointId, IReadOnlyCollection<Guid> inputIds, CancellationToken ct)
    {
        var endpoint = await db.Endpoints.AsNoTracking().SingleOrDefaultAsync(e => e.Id == endpointId, ct) ?? throw UserInputException.NotFound("Endpoint", endpointId);
        var version = await db.ModelVersions.AsNoTracking().SingleAsync(v => v.Id == endpoint.ModelVersionId, ct);
        var dataset = await db.Datasets.SingleOrDefaultAsync(d => d.Id == version.DatasetId, ct)
                      ?? throw new UserInputException("Dataset gone", "The dataset this model was trained on has been deleted, so there is no pool to add to.", 409);
        if (dataset.Status != DatasetStatus.Ready)
            throw new UserInputException("Dataset busy", $"Dataset '{dataset.Name}' is {dataset.Status.ToString().ToLowerInvariant()}; try again when it is ready.", 409);
        if (inputIds.Count == 0) throw new UserInputException("Nothing chosen", "Choose at least one low-confidence input to send.");

        var inputs = monitor.LowConfidence(endpointId).Where(i => inputIds.Contains(i.Id)).ToList();
        if (inputs.Count == 0)
            throw new UserInputException("Inputs gone", "Those inputs are no longer in the queue (already sent, or the server restarted).", 404);

        var items = new List<DatasetItem>();
        var skipped = 0;
        foreach (var input in inputs)
        {
            var item = input.Image is { } image ? ImageItem(dataset.Id, input, image) : RowItem(dataset, input);
            if (item is null || await db.DatasetItems.AnyAsync(i => i.DatasetId == dataset.Id && i.ContentHash == item.ContentHash, ct)
                             || items.Any(i => i.ContentHash == item.ContentHash))
            {
                skipped++;
                continue;
            }
            items.Add(item);
        }
        db.DatasetItems.AddRange(items);
        dataset.ItemCount += items.Count;
        await db.SaveChangesAsync(ct);
        monitor.TakeLowConfidence(endpointId, [.. inputs.Select(i => i.Id)]);
        return new Result(dataset.Id, dataset.Name, items.Count, skipped);
    }

    private DatasetItem? ImageItem(Guid datasetId, LowConfidenceInput input, byte[] bytes)
    {
        if (ImageDecoder.Probe(bytes) is not { } probe) return null;
        var id = Guid.NewGuid();
        // Stored under the format the decoder found, never the caller's file name: "evil.html" must not become a page.
        var path = ArtifactPaths.Item(datasetId, id, probe.Format.Extension());
        Directory.CreateDirectory(Path.GetDirectoryName(store.FullPath(path))!);
        File.WriteAllBytes(store.FullPath(path), bytes);
        var thumbnail = ArtifactPaths.Thumbnail(datasetId, id);
        Directory.CreateDirectory(Path.GetDirectoryName(store.FullPath(thumbnail))!);
        File.WriteAllBytes(store.FullPath(thumbnail), ImageDecoder.Thumbnail(bytes, options.Value.Import.ThumbnailSize));
        return new DatasetItem
        {
            Id = id, DatasetId = datasetId, StoragePath = path, OriginalName = $"endpoint/{input.At:yyyyMMdd-HHmmss}-{Path.GetFileName(input.Name)}",
            Width = probe.Width, Height = probe.Height, Channels = probe.Channels,
            ContentHash = Convert.ToHexStringLower(SHA256.HashData(bytes)), PerceptualHash = ImageDecoder.DifferenceHash(bytes),
        };
    }

    private static DatasetItem? RowItem(Dataset dataset, LowConfidenceInput input)
    {
        if (input.Instance is not { } json) return null;
        var name = $"endpoint {input.At:yyyy-MM-dd HH:mm:ss}";
        if (dataset.Kind == DatasetKind.Text)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            var text = doc.RootElement.TryGetProperty("text", out var t) ? t.GetString() : null;
            return text is null ? null : new DatasetItem { DatasetId = dataset.Id, OriginalName = name, Text = text, ContentHash = CsvTableImport.Hash(text) };
        }
        // Stored as the importer stores rows: every cell as text, so the row reads like one that came from a CSV.
        using var row = System.Text.Json.JsonDocument.Parse(json);
        var cells = row.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind switch
        {
            System.Text.Json.JsonValueKind.String => p.Value.GetString() ?? "",
            System.Text.Json.JsonValueKind.Null => "",
            _ => p.Value.GetRawText(),
        });
        var values = System.Text.Json.JsonSerializer.Serialize(cells);
        return new DatasetItem { DatasetId = dataset.Id, OriginalName = name, ValuesJson = values, ContentHash = CsvTableImport.Hash(values) };
    }
}
