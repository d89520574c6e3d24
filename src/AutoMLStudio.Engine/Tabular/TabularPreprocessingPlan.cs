using System.Text.Json;
using System.Text.Json.Serialization;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Engine.Tabular;

/// <summary>
/// One numeric input of the network: a numeric column's value, a part of a date, or a column's missing-indicator.
/// Missing values become <see cref="Median"/> (of the training rows) before standardising.
/// </summary>
/// <param name="Column">Source column.</param>
/// <param name="Part">"value"; "missing" or "date-missing" (1 when the cell holds no number or no date, else 0); or a date part: "year" (with its fraction), "month", "day", "weekday", "hour".</param>
/// <param name="Median">Training median that stands in for a missing value.</param>
/// <param name="Scaling">Training standardisation (identity for the missing-indicator).</param>
public sealed record NumericFeature(string Column, string Part, double Median, StandardScaling Scaling);

/// <summary>
/// One categorical input of the network, embedded. Index <see cref="OtherIndex"/> stands for values not seen in
/// training (or beyond the vocabulary's cap), <see cref="MissingIndex"/> for a missing cell, and the vocabulary's
/// values follow from 2 on.
/// </summary>
/// <param name="Column">Source column.</param>
/// <param name="Vocabulary">Training values, most frequent first.</param>
public sealed record CategoricalFeature(string Column, IReadOnlyList<string> Vocabulary)
{
    /// <summary>Index of unseen values.</summary>
    public const int OtherIndex = 0;

    /// <summary>Index of missing cells.</summary>
    public const int MissingIndex = 1;

    private Dictionary<string, int>? _index;

    /// <summary>Rows of the column's embedding table: the vocabulary plus "other" and "missing".</summary>
    [JsonIgnore]
    public int Cardinality => Vocabulary.Count + 2;

    /// <summary>The embedding index of a raw cell.</summary>
    public int IndexOf(string? cell)
    {
        if (CellParsing.IsMissing(cell)) return MissingIndex;
        _index ??= Vocabulary.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i + 2, StringComparer.Ordinal);
        return _index.TryGetValue(cell!.Trim(), out var index) ? index : OtherIndex;
    }
}

/// <summary>A column the network does not see, and why (shown to the user).</summary>
public sealed record DroppedColumn(string Column, string Reason);

/// <summary>A table turned into network inputs: <c>Numeric[row * NumericWidth + j]</c> and <c>Categorical[row * CategoricalWidth + k]</c>.</summary>
public sealed record TabularFeatures(int Count, int NumericWidth, float[] Numeric, int CategoricalWidth, long[] Categorical);

/// <summary>
/// How raw table cells become network inputs, fitted on the training split only and serialisable as JSON, so that
/// validation, test, prediction and export apply exactly what training saw. Numeric columns: missing cells take the
/// training median and get a missing-indicator (when training had any missing), then are standardised; categorical
/// columns: a vocabulary of training values with "other" and "missing" entries; dates: numeric parts; identifiers
/// and free text are dropped, with the reason recorded in <see cref="Dropped"/>.
/// </summary>
/// <param name="Numeric">Numeric inputs, in order.</param>
/// <param name="Categorical">Categorical inputs, in order.</param>
/// <param name="Dropped">Columns left out, with reasons.</param>
/// <param name="Target">Regression: the training target's standardisation; null for classification.</param>
public sealed record TabularPreprocessingPlan(
    IReadOnlyList<NumericFeature> Numeric,
    IReadOnlyList<CategoricalFeature> Categorical,
    IReadOnlyList<DroppedColumn> Dropped,
    StandardScaling? Target)
{
    /// <summary>Most distinct values a categorical column keeps; rarer ones share the "other" index.</summary>
    public const int MaxCategories = 1000;

    private static readonly string[] DateParts = ["year", "month", "day", "weekday", "hour"];

    /// <summary>Cardinalities of <see cref="Categorical"/>, in order.</summary>
    [JsonIgnore]
    public int[] Cardinalities => [.. Categorical.Select(c => c.Cardinality)];

    /// <summary>
    /// Fits the plan on <paramref name="train"/>'s rows (the training split only, so nothing of validation or test leaks
    /// in). <paramref name="columns"/> must not include the label column.
    /// </summary>
    /// <exception cref="ArgumentException">A column type is unknown, or no column is usable.</exception>
    public static TabularPreprocessingPlan Fit(IReadOnlyList<TabularColumn> columns, TabularExamples train)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(train);
        var numeric = new List<NumericFeature>();
        var categorical = new List<CategoricalFeature>();
        var dropped = new List<DroppedColumn>();
        foreach (var column in columns)
        {
            var cells = train.Rows.Select(r => CellParsing.Cell(r, column.Name)).ToArray();
            var reason = column.Type switch
            {
                TabularColumnTypes.Numeric => FitNumeric(column.Name, cells, numeric),
                TabularColumnTypes.Date => FitDate(column.Name, cells, numeric),
                TabularColumnTypes.Categorical => FitCategorical(column.Name, cells, categorical),
                TabularColumnTypes.Identifier => "an identifier is unique to each row, so it cannot help predict new rows",
                TabularColumnTypes.Text => "free text is not used by tabular models yet",
                _ => throw new ArgumentException($"Column '{column.Name}' has unknown type '{column.Type}'.", nameof(columns)),
            };
            if (reason is not null) dropped.Add(new DroppedColumn(column.Name, reason));
        }
        if (numeric.Count == 0 && categorical.Count == 0)
            throw new ArgumentException("No column can be used to learn from: "
                + string.Join("; ", dropped.Select(d => $"'{d.Column}': {d.Reason}")) + ".", nameof(columns));

        var target = train.Targets.Task == PredictionTask.Regression ? StandardScaling.Fit(train.Targets.Values) : null;
        return new TabularPreprocessingPlan(numeric, categorical, dropped, target);
    }

    /// <summary>Applies the plan to <paramref name="rows"/>: unseen categories map to "other", missing numbers to the training median.</summary>
    public TabularFeatures Transform(IReadOnlyList<IReadOnlyDictionary<string, string?>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var numericWidth = Numeric.Count;
        var categoricalWidth = Categorical.Count;
        var numeric = new float[rows.Count * numericWidth];
        var categorical = new long[rows.Count * categoricalWidth];
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            for (var j = 0; j < numericWidth; j++) numeric[r * numericWidth + j] = (float)Encode(Numeric[j], row);
            for (var k = 0; k < categoricalWidth; k++)
                categorical[r * categoricalWidth + k] = Categorical[k].IndexOf(CellParsing.Cell(row, Categorical[k].Column));
        }
        return new TabularFeatures(rows.Count, numericWidth, numeric, categoricalWidth, categorical);
    }

    /// <summary>The plan as JSON (Engine conventions).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, EngineJson.Options);

    /// <summary>A plan written by <see cref="ToJson"/>.</summary>
    /// <exception cref="JsonException">The text is not a plan.</exception>
    public static TabularPreprocessingPlan FromJson(string json) =>
        JsonSerializer.Deserialize<TabularPreprocessingPlan>(json, EngineJson.Options) ?? throw new JsonException("The preprocessing plan is empty.");

    private static double Encode(NumericFeature feature, IReadOnlyDictionary<string, string?> row)
    {
        var cell = CellParsing.Cell(row, feature.Column);
        return feature.Part switch
        {
            "missing" => CellParsing.TryNumber(cell, out _) ? 0 : 1,
            "date-missing" => CellParsing.TryDate(cell, out _) ? 0 : 1,
            _ => feature.Scaling.Apply(Read(feature.Part, cell) ?? feature.Median),
        };
    }

    private static double? Read(string part, string? cell)
    {
        if (part == "value") return CellParsing.TryNumber(cell, out var number) ? number : null;
        if (!CellParsing.TryDate(cell, out var date)) return null;
        return part switch
        {
            "year" => date.Year + (date.DayOfYear - 1) / 366.0,
            "month" => date.Month,
            "day" => date.Day,
            "weekday" => (int)date.DayOfWeek,
            "hour" => date.Hour + date.Minute / 60.0,
            _ => throw new InvalidDataException($"Unknown numeric feature part '{part}'."),
        };
    }

    private static string? FitNumeric(string column, string?[] cells, List<NumericFeature> features)
    {
        var values = cells.Select(c => Read("value", c)).ToArray();
        return AddParts(column, values.Length, [("value", values)], "missing", features, "no numbers in the training rows");
    }

    private static string? FitDate(string column, string?[] cells, List<NumericFeature> features)
    {
        var parts = DateParts.Select(p => (p, cells.Select(c => Read(p, c)).ToArray())).ToArray();
        return AddParts(column, cells.Length, parts, "date-missing", features, "no dates in the training rows");
    }

    private static string? AddParts(string column, int rows, (string Part, double?[] Values)[] parts, string missingPart,
        List<NumericFeature> features, string emptyReason)
    {
        var present = parts[0].Values.Count(v => v is not null);
        if (present == 0) return emptyReason;
        var added = 0;
        foreach (var (part, values) in parts)
        {
            var known = values.Where(v => v is not null).Select(v => v!.Value).ToArray();
            // A part that never varies (a constant column, the hour of date-only cells) carries no information.
            if (known.All(v => v == known[0])) continue;
            features.Add(new NumericFeature(column, part, Median(known), StandardScaling.Fit(known)));
            added++;
        }
        if (present < rows)
        {
            features.Add(new NumericFeature(column, missingPart, 0, new StandardScaling(0, 1)));
            added++;
        }
        return added == 0 ? "the same value in every training row" : null;
    }

    private static string? FitCategorical(string column, string?[] cells, List<CategoricalFeature> features)
    {
        var counts = cells.Where(c => !CellParsing.IsMissing(c)).GroupBy(c => c!.Trim(), StringComparer.Ordinal)
            .Select(g => (Value: g.Key, Count: g.Count())).ToArray();
        if (counts.Length == 0) return "no values in the training rows";
        var vocabulary = counts.OrderByDescending(c => c.Count).ThenBy(c => c.Value, StringComparer.Ordinal)
            .Take(MaxCategories).Select(c => c.Value).ToArray();
        features.Add(new CategoricalFeature(column, vocabulary));
        return null;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : sorted[middle - 1] / 2 + sorted[middle] / 2;
    }
}
