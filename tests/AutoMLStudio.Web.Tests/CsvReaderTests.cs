using System.Text;
using AutoMLStudio.Core.Datasets;

namespace AutoMLStudio.Web.Tests;

/// <summary>The streaming CSV reader on its own: RFC 4180 quoting, line ends, limits, encodings and delimiters.</summary>
public sealed class CsvReaderTests
{
    private static List<CsvReader.CsvRecord> ReadAll(string text, char delimiter = ',', int maxField = 1000)
    {
        using var reader = new CsvReader(new StringReader(text), delimiter, maxField);
        var records = new List<CsvReader.CsvRecord>();
        for (var r = reader.Read(); r is not null; r = reader.Read()) records.Add(r);
        return records;
    }

    [Fact]
    public void Quoted_fields_keep_delimiters_escaped_quotes_and_line_breaks()
    {
        var records = ReadAll("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"two\r\nlines\",x,\n");

        Assert.Equal(["a", "b,c", "say \"hi\""], records[0].Fields);
        Assert.Equal(["two\r\nlines", "x", ""], records[1].Fields);
        Assert.Equal(2, records[1].Line);
        Assert.Equal(2, records.Count);
    }

    [Fact]
    public void Cr_lf_and_crlf_line_ends_all_end_a_record_and_blank_lines_are_skipped()
    {
        var records = ReadAll("a\rb\n\nc\r\nd");

        Assert.Equal(["a", "b", "c", "d"], records.Select(r => r.Fields.Single()));
        Assert.Equal([1, 2, 4, 5], records.Select(r => r.Line));
    }

    [Fact]
    public void A_field_over_the_limit_makes_its_record_a_problem_and_reading_goes_on()
    {
        var records = ReadAll("ok,1\n\"" + new string('x', 50) + "\",2\nnext,3\n", maxField: 10);

        Assert.Null(records[0].Problem);
        Assert.Contains("longer than the limit", records[1].Problem);
        Assert.Equal(["next", "3"], records[2].Fields);
    }

    [Fact]
    public void An_unclosed_quote_is_reported()
    {
        Assert.Contains("never closed", ReadAll("a,\"b\n").Single().Problem);
    }

    [Theory]
    [InlineData("a,b,c", ',')]
    [InlineData("a;b;c", ';')]
    [InlineData("a\tb;c\td", '\t')]
    [InlineData("single", ',')]
    public void Delimiter_is_sniffed_from_the_header(string header, char expected) =>
        Assert.Equal(expected, CsvReader.SniffDelimiter(header));

    [Fact]
    public void Open_drops_the_byte_order_mark_and_falls_back_to_latin1()
    {
        var utf8 = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("név;x\ncafé;1\n")).ToArray();
        using (var reader = CsvReader.Open(() => new MemoryStream(utf8), 100))
        {
            Assert.Equal(';', reader.Delimiter);
            Assert.Equal(["név", "x"], reader.Read()!.Fields);
            Assert.Equal("café", reader.Read()!.Fields[0]);
        }

        var latin1 = Encoding.Latin1.GetBytes("name\ncafé\n");
        using (var reader = CsvReader.Open(() => new MemoryStream(latin1), 100))
        {
            reader.Read();
            Assert.Equal("café", reader.Read()!.Fields[0]);
        }
    }
}
