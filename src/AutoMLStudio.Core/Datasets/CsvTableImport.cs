using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AutoMLStudio.Core.Datasets;

/// <summary>The header of an uploaded CSV, read and checked before any row is made.</summary>
public static class CsvHeader
{
    private static readonly string[] LabelNames = ["label", "target", "class", "category", "y"];

    /// <summary>
    /// Column names from the header's cells: blank ones become <c>column N</c>; a repeated name is refused, but names
    /// that differ only in letter case are two columns, as in CSV and pandas.
    /// </summary>
    public static List<string> ColumnNames(IReadOnlyList<string> cells)
    {
        var names = cells.Select((c, i) => string.IsNullOrWhiteSpace(c) ? $"column {i + 1}" : c.Trim()).ToList();
        var repeated = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
            throw new UserInputException("Repeated column name",
                $"The CSV's header names the column '{repeated.Key}' more than once. Give every column its own name and upload again.");
        return names;
    }

    /// <summary>The header's column names; a problem when the file is empty or its header is unusable.</summary>
    public static List<string> Read(Func<Stream> open, int maxFieldChars)
    {
        using var reader = CsvReader.Open(open, maxFieldChars, encodingProbeBytes: 1 << 20);
        var header = reader.Read()
                     ?? throw new UserInputException("Empty CSV", "The CSV file holds no header and no rows. The first line must name the columns.");
        if (header.Problem is not null)
            throw new UserInputException("Unreadable CSV header", $"The CSV's first line cannot be read: {header.Problem}. The first line must name the columns.");
        return ColumnNames(header.Fields);
    }

    /// <summary>The column the user named (see <see cref="Datasets.ColumnNames.Find"/>), or a 400 listing the columns there are.</summary>
    public static string Match(IReadOnlyList<string> names, string wanted, string what) =>
        Datasets.ColumnNames.Find(names, wanted.Trim())
        ?? throw new UserInputException($"{what} column not found",
            $"The CSV has no column named '{wanted.Trim()}'. Its columns are: {string.Join(", ", names)}. " +
            $"Send {(what == "Label" ? "labelColumn" : "textColumn")} with one of these names.");

    /// <summary>A column called label, target, class, category or y; null when there is none.</summary>
    /// <remarks>A guess never refuses an upload: a word that two columns spell in different cases is passed over.</remarks>
    public static string? GuessLabel(IReadOnlyList<string> names) =>
        LabelNames.Select(l => Datasets.ColumnNames.Matches(names, l)).FirstOrDefault(m => m.Count == 1)?[0];
}

/// <summary>
/// A tabular CSV or TSV: every row's cells are kept as JSON, the label column gives the label, and the columns'
/// types, missing cells and the task (classification or regression) are inferred while the rows stream past.
/// A ragged row or one with an over-long field is skipped and reported; the rest imports.
/// </summary>
public static class CsvTableImport
{
    public static async Task RunAsync(ImportSink sink, CancellationToken ct)
    {
        var dataset = sink.Dataset;
        using var rows = CsvRows.Open(sink);
        var labelIndex = rows.IndexOf(dataset.LabelColumn!);
        var profiles = rows.Names.Select(n => new ColumnProfile(n)).ToList();
        await rows.ForEachAsync((row, cells) =>
        {
            var values = new Dictionary<string, string>(cells.Count);
            for (var i = 0; i < cells.Count; i++)
            {
                profiles[i].Add(cells[i]);
                values[rows.Names[i]] = cells[i];
            }
            var json = JsonSerializer.Serialize(values);
            sink.Add(new DatasetItem
            {
                DatasetId = dataset.Id,
                OriginalName = $"row {row}",
                SourceIndex = row,
                ValuesJson = json,
                Label = ColumnProfile.LabelOf(cells[labelIndex], DatasetTasks.Classification),
                ContentHash = Hash(json),
            });
        }, ct);

        var columns = profiles.Select(p => p.ToSpec()).ToList();
        dataset.Columns = [.. columns];
        dataset.Task = ColumnProfile.ProposeTask(columns[labelIndex]);
    }

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>The rows of an uploaded CSV after its header, with ragged and over-long rows skipped and reported.</summary>
public sealed class CsvRows : IDisposable
{
    private readonly ImportSink _sink;
    private readonly CsvReader _reader;
    private readonly Func<FileStream?> _stream;

    private CsvRows(ImportSink sink, CsvReader reader, Func<FileStream?> stream, List<string> names)
    {
        _sink = sink;
        _reader = reader;
        _stream = stream;
        Names = names;
    }

    public List<string> Names { get; }

    public static CsvRows Open(ImportSink sink)
    {
        FileStream? last = null;
        var reader = CsvReader.Open(() => last = File.OpenRead(sink.UploadPath), sink.Limits.MaxFieldBytes);
        var header = reader.Read();
        if (header is null || header.Problem is not null)
        {
            reader.Dispose();
            throw new UserInputException("Unreadable CSV header", "The CSV's first line cannot be read; it must name the columns.");
        }
        return new CsvRows(sink, reader, () => last, CsvHeader.ColumnNames(header.Fields));
    }

    public int IndexOf(string column)
    {
        var index = Datasets.ColumnNames.Find(Names, column) is { } name ? Names.IndexOf(name) : -1;
        return index >= 0 ? index
            : throw new UserInputException("Column not found", $"The CSV has no column named '{column}' any more. Its columns are: {string.Join(", ", Names)}.");
    }

    /// <summary>Calls <paramref name="row"/> with each usable row's number (1-based, header excluded) and cells.</summary>
    public async Task ForEachAsync(Action<int, IReadOnlyList<string>> row, CancellationToken ct)
    {
        var where = _sink.Dataset.UploadFileName ?? "the CSV";
        var number = 0;
        for (var record = _reader.Read(); record is not null; record = _reader.Read())
        {
            number++;
            if (record.Problem is not null)
                _sink.Skip($"{where} row {number} (line {record.Line})", $"{record.Problem}; the row was skipped");
            else if (record.Fields.Count != Names.Count)
                _sink.Skip($"{where} row {number} (line {record.Line})",
                    $"has {record.Fields.Count} field(s) where the header has {Names.Count}; the row was skipped");
            else
                row(number, record.Fields);
            var stream = _stream();
            await _sink.CheckpointAsync(stream is null || stream.Length == 0 ? 0 : stream.Position / (double)stream.Length, ct);
        }
    }

    public void Dispose() => _reader.Dispose();
}
