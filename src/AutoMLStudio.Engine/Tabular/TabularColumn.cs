namespace AutoMLStudio.Engine.Tabular;

/// <summary>One column of a table, with the type the studio inferred or the user chose.</summary>
/// <param name="Name">Column name, as in each row's cells.</param>
/// <param name="Type">One of <see cref="TabularColumnTypes"/>.</param>
public sealed record TabularColumn(string Name, string Type);

/// <summary>Column types, the same words the studio stores for a dataset's columns.</summary>
public static class TabularColumnTypes
{
    /// <summary>Numbers; imputed, flagged when missing, standardised.</summary>
    public const string Numeric = "numeric";

    /// <summary>A few repeating values; embedded.</summary>
    public const string Categorical = "categorical";

    /// <summary>Free text; dropped by the tabular model for now.</summary>
    public const string Text = "text";

    /// <summary>Dates and times; split into numeric parts.</summary>
    public const string Date = "date";

    /// <summary>A unique key per row; dropped, since it cannot generalise.</summary>
    public const string Identifier = "identifier";
}

/// <summary>A table's rows: per row, column name to the raw cell text (a missing key is a missing cell).</summary>
public sealed record TabularExamples(IReadOnlyList<IReadOnlyDictionary<string, string?>> Rows, Training.SupervisedTargets Targets)
{
    /// <summary>Number of rows.</summary>
    public int Count => Rows.Count;
}
