using System.IO.Compression;

namespace AutoMLStudio.Core.Datasets;

/// <summary>
/// Images in a zip with a CSV of <c>path,label</c> at the zip's root. Paths are relative to the root; a row that
/// names a file the zip lacks is reported, and images the CSV does not name are imported unlabeled.
/// </summary>
public static class LabelsCsvImport
{
    private static readonly string[] PathNames = ["path", "file", "filename", "file_name", "image", "name"];
    private static readonly string[] LabelNames = ["label", "class", "category", "target"];

    /// <summary>The first CSV at the zip's root, or null.</summary>
    public static ZipArchiveEntry? FindCsv(ZipArchive zip) =>
        zip.Entries.Where(e => !e.FullName.Contains('/') && !e.FullName.Contains('\\')
                               && e.FullName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
                               && !ClassFolderZip.IsSystemClutter(e.FullName))
            .OrderBy(e => e.FullName, StringComparer.Ordinal).FirstOrDefault();

    /// <summary>
    /// Where the path and the label are: named columns of a header, or the first two columns of a file without
    /// one (its first cell is then an image path). Null when neither fits.
    /// </summary>
    public static (int Path, int Label, bool HasHeader)? FindColumns(IReadOnlyList<string> header)
    {
        if (header.Count >= 2 && ClassFolderZip.ImageExtensions.Contains(Path.GetExtension(header[0].Trim())))
            return (0, 1, false);
        var path = IndexOf(header, PathNames);
        var label = IndexOf(header, LabelNames);
        return path >= 0 && label >= 0 ? (path, label, true) : null;
    }

    private static int IndexOf(IReadOnlyList<string> header, string[] names)
    {
        foreach (var name in names)
            for (var i = 0; i < header.Count; i++)
                if (header[i].Trim().Equals(name, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }

    public static string NormalizePath(string path)
    {
        var p = path.Trim().Replace('\\', '/');
        while (p.StartsWith("./", StringComparison.Ordinal)) p = p[2..];
        return p.TrimStart('/');
    }

    public static async Task RunAsync(ImportSink sink, CancellationToken ct)
    {
        using var zip = ZipFile.OpenRead(sink.UploadPath);
        var csv = FindCsv(zip) ?? throw new InvalidOperationException("The labels CSV is gone from the zip.");
        var labels = ReadLabels(csv, sink);

        var used = new HashSet<string>(StringComparer.Ordinal);
        var candidates = ClassFolderZip.Classify(zip, sink.Limits.MaxCompressionRatio, ZipContent.LooseImages)
            .Where(e => e.ZipEntry != csv)
            .Select(e =>
            {
                var path = NormalizePath(e.ZipEntry.FullName);
                var label = labels.TryGetValue(path, out var found) ? found.Label : null;
                if (label is not null) used.Add(path);
                return (ImageCandidate.FromZip(e.ZipEntry, label), e.Problem);
            }).ToList();
        await ImageZipImport.ImportAllAsync(sink, candidates, ct);

        foreach (var (path, row) in labels.Where(l => !used.Contains(l.Key)).OrderBy(l => l.Value.Line))
            sink.Skip($"{csv.FullName} line {row.Line}", $"names '{path}', which is not in the zip");
    }

    private static Dictionary<string, (string Label, int Line)> ReadLabels(ZipArchiveEntry csv, ImportSink sink)
    {
        var labels = new Dictionary<string, (string, int)>(StringComparer.Ordinal);
        using var reader = CsvReader.Open(csv.Open, sink.Limits.MaxFieldBytes);
        var first = reader.Read();
        if (first is null) return labels;
        var columns = FindColumns(first.Fields) ?? throw new InvalidOperationException("The labels CSV has no path and label columns.");
        for (var record = columns.HasHeader ? reader.Read() : first; record is not null; record = reader.Read())
        {
            var where = $"{csv.FullName} line {record.Line}";
            if (record.Problem is not null) { sink.Skip(where, record.Problem); continue; }
            if (record.Fields.Count <= Math.Max(columns.Path, columns.Label))
            {
                sink.Skip(where, $"has {record.Fields.Count} field(s); the path and the label are needed");
                continue;
            }
            var path = NormalizePath(record.Fields[columns.Path]);
            var label = ColumnProfile.LabelOf(record.Fields[columns.Label], DatasetTasks.Classification);
            if (path.Length == 0 || label is null) { sink.Skip(where, "the path or the label is empty"); continue; }
            if (!labels.TryAdd(path, (label, record.Line))) sink.Skip(where, $"'{path}' is named a second time; the first label was kept");
        }
        return labels;
    }
}
