using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AutoMLStudio.Core.Datasets;

/// <summary>
/// A version as a download: for images a zip of class folders with the original files plus labels.csv
/// (path,label,split); for tabular and text data one CSV with every column, the label and the split. Written to a
/// stream file by file, so a large dataset is never held in memory.
/// </summary>
public sealed class ExportDatasetVersion(StudioDbContext db, IArtifactStore store, ILogger<ExportDatasetVersion> logger)
{
    public sealed record Export(string FileName, string ContentType, Func<Stream, CancellationToken, Task> WriteAsync);

    private sealed record Row(string Name, string? StoragePath, string Label, SplitPart Split, string? Text, string? ValuesJson);

    /// <summary>Finds the version (problems are raised here, before anything is written) and returns how to write it.</summary>
    public async Task<Export> HandleAsync(Guid datasetId, int number, CancellationToken ct)
    {
        var dataset = await db.Datasets.AsNoTracking().SingleOrDefaultAsync(d => d.Id == datasetId, ct)
                      ?? throw UserInputException.NotFound("Dataset", datasetId);
        var version = await db.DatasetVersions.AsNoTracking().SingleOrDefaultAsync(v => v.DatasetId == datasetId && v.Number == number, ct)
                      ?? throw new UserInputException("Version not found", $"Dataset {datasetId} has no version {number}. List its versions to find one.", 404);
        var rows = await (from v in db.DatasetVersionItems
                          where v.VersionId == version.Id
                          join i in db.DatasetItems on v.ItemId equals i.Id
                          orderby i.SourceIndex, i.OriginalName, i.Id
                          select new Row(i.OriginalName, i.StoragePath, v.Label, v.Split, i.Text, i.ValuesJson)).AsNoTracking().ToListAsync(ct);

        var baseName = $"{SafeName(dataset.Name, "dataset")}-v{number}";
        return dataset.Kind == DatasetKind.Image
            ? new Export(baseName + ".zip", "application/zip", (output, token) => WriteZipAsync(rows, output, token))
            : new Export(baseName + ".csv", "text/csv", (output, token) => WriteCsvAsync(dataset, rows, output, token));
    }

    private async Task WriteZipAsync(IReadOnlyList<Row> rows, Stream output, CancellationToken ct)
    {
        var folders = new Dictionary<string, string>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase); // unique on case-insensitive file systems too
        string Unique(string path)
        {
            var candidate = path;
            for (var n = 2; !used.Add(candidate); n++)
                candidate = $"{Path.ChangeExtension(path, null)}-{n}{Path.GetExtension(path)}";
            return candidate;
        }

        await using var zip = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, ct);
        var csv = new StringBuilder("path,label,split\n");
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            var source = row.StoragePath is null ? null : store.FullPath(row.StoragePath);
            if (source is null || !File.Exists(source))
            {
                logger.LogWarning("Export skips {Item}: its stored file is missing", row.Name);
                continue;
            }
            if (!folders.TryGetValue(row.Label, out var folder))
                folders[row.Label] = folder = Unique(SafeName(row.Label, "class"));
            var path = Unique($"{folder}/{SafeName(Path.GetFileName(row.Name), "item")}");

            // Images are compressed already; storing them keeps the export fast.
            var entry = zip.CreateEntry(path, CompressionLevel.NoCompression);
            await using (var target = await entry.OpenAsync(ct))
            await using (var file = File.OpenRead(source))
                await file.CopyToAsync(target, ct);
            csv.Append(Csv.Line([path, row.Label, SplitName(row.Split)]));
        }

        var labels = zip.CreateEntry(Unique("labels.csv"), CompressionLevel.Optimal);
        await using var writer = await labels.OpenAsync(ct);
        await writer.WriteAsync(Encoding.UTF8.GetBytes(csv.ToString()), ct);
    }

    private static async Task WriteCsvAsync(Dataset dataset, IReadOnlyList<Row> rows, Stream output, CancellationToken ct)
    {
        var cells = rows.Select(r => r.ValuesJson is null ? [] : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(r.ValuesJson) ?? []).ToList();
        var columns = dataset.Kind == DatasetKind.Text ? ["text"] : cells.SelectMany(c => c.Keys).Distinct(StringComparer.Ordinal).ToList();
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        await writer.WriteAsync(Csv.Line([.. columns, dataset.LabelColumn ?? "label", "split"]));
        for (var n = 0; n < rows.Count; n++)
        {
            ct.ThrowIfCancellationRequested();
            var values = dataset.Kind == DatasetKind.Text
                ? [rows[n].Text]
                : columns.Select(c => cells[n].TryGetValue(c, out var v) ? v.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.String => v.GetString(),
                    _ => v.GetRawText(),
                } : null).ToList();
            await writer.WriteAsync(Csv.Line([.. values, rows[n].Label, SplitName(rows[n].Split)]));
        }
        await writer.FlushAsync(ct);
    }

    private static string SplitName(SplitPart split) => split.ToString().ToLowerInvariant();

    /// <summary>A file or folder name that is safe on every file system and cannot climb out of its folder.</summary>
    public static string SafeName(string? name, string fallback)
    {
        var safe = new string((name ?? "").Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or ' ' ? c : '_').ToArray()).Trim().TrimStart('.').Trim();
        if (safe.Length > 100) safe = safe[..100];
        return safe.Length == 0 ? fallback : safe;
    }
}

/// <summary>CSV writing (RFC 4180 quoting) that does not let a spreadsheet run a cell as a formula.</summary>
public static class Csv
{
    public static string Line(IEnumerable<string?> cells) => string.Join(',', cells.Select(Cell)) + "\n";

    /// <summary>
    /// Quotes when needed; a cell starting with = + - @ (or tab or carriage return) is prefixed with a single quote so
    /// spreadsheets show it as text, except plain numbers such as -3.5, which no spreadsheet reads as a formula.
    /// </summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r'
            && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 || value != value.Trim()
            ? "\"" + value.Replace("\"", "\"\"") + "\""
            : value;
    }
}
