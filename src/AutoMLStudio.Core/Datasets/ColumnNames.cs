namespace AutoMLStudio.Core.Datasets;

/// <summary>
/// How a column name someone typed finds its column. Names are case-sensitive, as in CSV and pandas ("Age" and "age"
/// are two columns), so an exact match wins; a name in another case still finds the one column it can mean, so
/// clients that typed "PRICE" for "price" keep working; when it could mean several, it is refused with the candidates.
/// </summary>
public static class ColumnNames
{
    /// <summary>The column <paramref name="wanted"/> names, null when none; a 400 listing the candidates when it matches several only ignoring case.</summary>
    public static string? Find(IReadOnlyList<string> names, string wanted)
    {
        var matches = Matches(names, wanted);
        return matches.Count switch
        {
            0 => null,
            1 => matches[0],
            _ => throw new UserInputException("Ambiguous column name",
                $"'{wanted}' could be any of the columns {string.Join(", ", matches.Select(m => $"'{m}'"))}, whose names differ only in letter case. " +
                "Write the name exactly as the table's header does."),
        };
    }

    /// <summary>The exact match alone when there is one, else every name equal to <paramref name="wanted"/> ignoring case.</summary>
    public static IReadOnlyList<string> Matches(IReadOnlyList<string> names, string wanted) =>
        names.Contains(wanted, StringComparer.Ordinal)
            ? [wanted]
            : [.. names.Where(n => string.Equals(n, wanted, StringComparison.OrdinalIgnoreCase))];
}
