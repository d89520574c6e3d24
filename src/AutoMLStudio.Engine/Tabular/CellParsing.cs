using System.Globalization;

namespace AutoMLStudio.Engine.Tabular;

/// <summary>How the tabular preprocessing reads a raw cell: the same missing markers and formats the studio's import infers types with.</summary>
public static class CellParsing
{
    private static readonly HashSet<string> MissingMarkers = new(StringComparer.OrdinalIgnoreCase) { "", "NA", "N/A", "null", "?", "NaN" };

    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm",
        "yyyy-MM-dd HH:mm:ss", "yyyy/MM/dd", "dd.MM.yyyy", "d.M.yyyy", "MM/dd/yyyy", "M/d/yyyy", "dd/MM/yyyy", "yyyyMMddTHHmmss",
    ];

    /// <summary>Whether the cell is absent, blank or a missing marker (NA, N/A, null, ?, NaN).</summary>
    public static bool IsMissing(string? cell) => cell is null || MissingMarkers.Contains(cell.Trim());

    /// <summary>The cell as a finite number (invariant culture); false when missing, not a number, or overflowing.</summary>
    public static bool TryNumber(string? cell, out double value)
    {
        value = 0;
        return !IsMissing(cell)
               && double.TryParse(cell!.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value)
               && double.IsFinite(value);
    }

    /// <summary>The cell as a date in one of the import's formats.</summary>
    public static bool TryDate(string? cell, out DateTime value)
    {
        value = default;
        return !IsMissing(cell)
               && DateTime.TryParseExact(cell!.Trim(), DateFormats, CultureInfo.InvariantCulture,
                   DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AdjustToUniversal, out value);
    }

    /// <summary>The cell of <paramref name="column"/> in <paramref name="row"/>, null when the row lacks it.</summary>
    public static string? Cell(IReadOnlyDictionary<string, string?> row, string column) =>
        row.TryGetValue(column, out var cell) ? cell : null;
}
