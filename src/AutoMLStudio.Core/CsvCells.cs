using System.Text;

namespace AutoMLStudio.Core;

/// <summary>
/// Writing CSV that spreadsheets open safely: RFC 4180 quoting, and text cells that a spreadsheet would run as a formula
/// (starting with =, +, -, @, a tab or a carriage return) prefixed with an apostrophe, since cells carry text from
/// datasets and users.
/// </summary>
public static class CsvCells
{
    /// <summary>A text cell a spreadsheet shows as text.</summary>
    public static string Text(string? value) =>
        string.IsNullOrEmpty(value) ? "" : value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

    /// <summary>Appends one line of already formatted cells, quoted where needed.</summary>
    public static void Row(StringBuilder csv, IEnumerable<string> cells)
    {
        csv.AppendJoin(',', cells.Select(Quote));
        csv.Append("\r\n");
    }

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;
}
