using System.IO.Compression;
using System.Text;

namespace AutoMLStudio.Core.Datasets;

/// <summary>
/// Text classification data: a CSV with a text column and an optional label column, or a zip of class folders of
/// .txt files (UTF-8, or Latin-1 where a file is not valid UTF-8). Empty texts are skipped and reported.
/// </summary>
public static class TextImport
{
    public static async Task RunCsvAsync(ImportSink sink, CancellationToken ct)
    {
        var dataset = sink.Dataset;
        using var rows = CsvRows.Open(sink);
        var textIndex = rows.IndexOf(dataset.TextColumn!);
        var labelIndex = dataset.LabelColumn is null ? -1 : rows.IndexOf(dataset.LabelColumn);
        var where = dataset.UploadFileName ?? "the CSV";
        await rows.ForEachAsync((row, cells) =>
        {
            var text = cells[textIndex].Trim();
            if (ColumnProfile.IsMissing(text)) { sink.Skip($"{where} row {row}", "the text is empty; the row was skipped"); return; }
            sink.Add(NewItem(dataset.Id, $"row {row}", row, text, labelIndex < 0 ? null : ColumnProfile.LabelOf(cells[labelIndex], DatasetTasks.Classification)));
        }, ct);
    }

    public static async Task RunFoldersAsync(ImportSink sink, CancellationToken ct)
    {
        using var zip = ZipFile.OpenRead(sink.UploadPath);
        var entries = ClassFolderZip.Classify(zip, sink.Limits.MaxCompressionRatio, ZipContent.TextInClassFolders);
        for (var n = 0; n < entries.Count; n++)
        {
            var entry = entries[n];
            var problem = entry.Problem ?? TryImport(sink, entry, n + 1);
            if (problem is not null) sink.Skip(entry.ZipEntry.FullName, problem);
            await sink.CheckpointAsync((n + 1) / (double)entries.Count, ct);
        }
    }

    private static string? TryImport(ImportSink sink, ClassFolderZip.Entry entry, int index)
    {
        byte[]? bytes;
        try { bytes = ClassFolderZip.ReadBounded(entry.ZipEntry, sink.Limits.MaxFieldBytes); }
        catch (InvalidDataException) { return "damaged inside the zip"; }
        if (bytes is null) return $"longer than the limit of {sink.Limits.MaxFieldBytes:N0} bytes for one text";
        var text = Decode(bytes).Trim();
        if (text.Length == 0) return "the file is empty";
        sink.Add(NewItem(sink.Dataset.Id, entry.ZipEntry.FullName, index, text, entry.Label));
        return null;
    }

    /// <summary>UTF-8 (a byte-order mark dropped), or Latin-1 when the bytes are not valid UTF-8.</summary>
    public static string Decode(byte[] bytes)
    {
        var start = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        try { return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, start, bytes.Length - start); }
        catch (DecoderFallbackException) { return Encoding.Latin1.GetString(bytes); }
    }

    private static DatasetItem NewItem(Guid datasetId, string name, int index, string text, string? label) => new()
    {
        DatasetId = datasetId,
        OriginalName = name,
        SourceIndex = index,
        Text = text,
        Label = label,
        ContentHash = CsvTableImport.Hash(text),
    };
}
