using System.Text;

namespace AutoMLStudio.Core.Datasets;

/// <summary>
/// A streaming RFC 4180 reader: quoted fields, <c>""</c> escapes, CR, LF or CRLF line ends, line breaks inside
/// quotes. It holds one record at a time, and never more than <c>maxFieldChars</c> of one field: a longer field
/// makes the record a <see cref="CsvRecord.Problem"/> and the reader goes on with the next one, so a hostile file
/// cannot make it buffer gigabytes. Written here rather than taken from CsvHelper because of that bound and
/// because a bad row must be skipped and reported, not fail the file.
/// </summary>
public sealed class CsvReader : IDisposable
{
    private readonly TextReader _reader;
    private readonly int _maxFieldChars;
    private readonly StringBuilder _field = new();
    private readonly char[] _buffer = new char[1 << 16];
    private int _length;
    private int _position;

    public CsvReader(TextReader reader, char delimiter, int maxFieldChars)
    {
        _reader = reader;
        Delimiter = delimiter;
        _maxFieldChars = maxFieldChars;
    }

    public char Delimiter { get; }

    /// <summary>Physical line where the next record starts (1-based), for messages.</summary>
    public int Line { get; private set; } = 1;

    /// <summary>One record: its fields, or the reason it cannot be used; <see cref="Line"/> is where it started.</summary>
    public sealed record CsvRecord(IReadOnlyList<string> Fields, int Line, string? Problem);

    /// <summary>The next record, or null at the end. Blank lines are skipped.</summary>
    public CsvRecord? Read()
    {
        while (true)
        {
            var start = Line;
            var fields = new List<string>();
            string? problem = null;
            _field.Clear();
            var quoted = false;
            var fieldStarted = false; // distinguishes an empty line from a line holding one empty field
            var c = Next();
            if (c < 0) return null;
            while (true)
            {
                if (quoted)
                {
                    if (c < 0) { problem ??= "a quoted field is never closed (a \" is missing)"; fields.Add(_field.ToString()); break; }
                    if (c == '"')
                    {
                        if (Peek() == '"') { Next(); Append('"', ref problem); }
                        else quoted = false;
                    }
                    else
                    {
                        if (c == '\n' || (c == '\r' && Peek() != '\n')) Line++;
                        Append((char)c, ref problem);
                    }
                }
                else if (c < 0 || c == '\n' || c == '\r')
                {
                    if (c == '\r' && Peek() == '\n') Next();
                    if (c >= 0) Line++;
                    if (fieldStarted || fields.Count > 0) fields.Add(_field.ToString());
                    break;
                }
                else if (c == Delimiter)
                {
                    fields.Add(_field.ToString());
                    _field.Clear();
                    fieldStarted = true;
                }
                else if (c == '"' && _field.Length == 0) { quoted = true; fieldStarted = true; }
                else
                {
                    Append((char)c, ref problem);
                    fieldStarted = true;
                }
                c = Next();
            }
            if (fields.Count == 0 && problem is null) continue; // a blank line
            return new CsvRecord(fields, start, problem);
        }
    }

    private void Append(char c, ref string? problem)
    {
        if (_field.Length >= _maxFieldChars)
        {
            problem ??= $"a field is longer than the limit of {_maxFieldChars:N0} characters";
            return; // keep reading to the end of the record, but keep nothing more
        }
        _field.Append(c);
    }

    private int Next()
    {
        if (_position == _length && !Fill()) return -1;
        return _buffer[_position++];
    }

    private int Peek()
    {
        if (_position == _length && !Fill()) return -1;
        return _buffer[_position];
    }

    private bool Fill()
    {
        _length = _reader.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        return _length > 0;
    }

    public void Dispose() => _reader.Dispose();

    /// <summary>
    /// Opens a CSV file for reading: the byte-order mark is dropped, a file that is not valid UTF-8 is read as
    /// Latin-1 (Windows-1252 needs code pages that invariant globalization leaves out), and the delimiter is the
    /// one among comma, semicolon and tab that the header line uses most.
    /// </summary>
    /// <param name="encodingProbeBytes">How much of the file the UTF-8 check reads; the import reads it all.</param>
    public static CsvReader Open(Func<Stream> open, int maxFieldChars, long encodingProbeBytes = long.MaxValue)
    {
        var encoding = IsUtf8(open, encodingProbeBytes) ? (Encoding)new UTF8Encoding(false) : Encoding.Latin1;
        char delimiter;
        using (var probe = new StreamReader(open(), encoding, detectEncodingFromByteOrderMarks: true))
            delimiter = SniffDelimiter(ReadFirstLine(probe, 1 << 20));
        return new CsvReader(new StreamReader(open(), encoding, detectEncodingFromByteOrderMarks: true, 1 << 16), delimiter, maxFieldChars);
    }

    /// <summary>True when the whole stream decodes as UTF-8 (read in chunks, so any size is fine).</summary>
    public static bool IsUtf8(Func<Stream> open, long maxBytes = long.MaxValue)
    {
        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        var bytes = new byte[1 << 16];
        var chars = new char[(1 << 16) + 4];
        using var stream = open();
        try
        {
            int read;
            long total = 0;
            while (total < maxBytes && (read = stream.Read(bytes, 0, bytes.Length)) > 0)
            {
                total += read;
                decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
            }
            if (total < maxBytes) decoder.GetChars(bytes, 0, 0, chars, 0, flush: true);
            return true;
        }
        catch (DecoderFallbackException) { return false; }
    }

    private static string ReadFirstLine(TextReader reader, int maxChars)
    {
        var line = new StringBuilder();
        int c;
        while ((c = reader.Read()) >= 0 && c != '\n' && c != '\r' && line.Length < maxChars) line.Append((char)c);
        return line.ToString();
    }

    public static char SniffDelimiter(string header)
    {
        char[] candidates = [',', ';', '\t'];
        var best = candidates.MaxBy(d => header.Count(c => c == d));
        return header.Contains(best) ? best : ',';
    }
}
