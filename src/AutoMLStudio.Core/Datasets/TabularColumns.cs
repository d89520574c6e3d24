using System.Globalization;
using System.Text.Json;

namespace AutoMLStudio.Core.Datasets;

/// <summary>Column types of a table: what the import infers and what the user may choose instead.</summary>
public static class ColumnTypes
{
    public const string Numeric = "numeric";
    public const string Categorical = "categorical";
    public const string Text = "text";
    public const string Date = "date";
    public const string Identifier = "identifier";

    public static readonly IReadOnlyList<string> All = [Numeric, Categorical, Text, Date, Identifier];
}


/// <summary>
/// One column as stored in <see cref="Dataset.Columns"/>: the inferred type, the type in use (the user may
/// override it), missing cells, and what inference saw, so a later change of label column or task can be checked
/// without reading every row again.
/// </summary>
public sealed record ColumnSpec(
    string Name, string InferredType, string Type, int Missing, int Distinct, bool AllNumeric, bool AllIntegers);

/// <summary>
/// Streaming statistics of one column, fed cell by cell; the distinct values are kept only up to a cap, so a
/// column of a million ids costs a bounded amount of memory.
/// </summary>
public sealed class ColumnProfile(string name)
{
    private const int DistinctCap = 10_000;
    private static readonly HashSet<string> MissingMarkers = new(StringComparer.OrdinalIgnoreCase) { "", "NA", "N/A", "null", "?", "NaN" };
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm",
        "yyyy-MM-dd HH:mm:ss", "yyyy/MM/dd", "dd.MM.yyyy", "d.M.yyyy", "MM/dd/yyyy", "M/d/yyyy", "dd/MM/yyyy", "yyyyMMddTHHmmss",
    ];

    private readonly HashSet<string> _distinct = new(StringComparer.Ordinal);
    private bool _distinctOverflow;
    private int _values;
    private int _numeric;
    private int _integers;
    private int _dates;
    private long _totalLength;
    private bool _hasSpaces;

    public string Name { get; } = name;
    public int Missing { get; private set; }

    public static bool IsMissing(string? cell) => cell is null || MissingMarkers.Contains(cell.Trim());

    public static bool TryNumber(string cell, out double value) =>
        double.TryParse(cell.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    public void Add(string cell)
    {
        if (IsMissing(cell)) { Missing++; return; }
        var value = cell.Trim();
        _values++;
        _totalLength += value.Length;
        _hasSpaces |= value.Contains(' ');
        if (TryNumber(value, out var number))
        {
            _numeric++;
            if (Math.Abs(number) < 1e15 && number == Math.Floor(number)) _integers++;
        }
        else if (DateTime.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out _)) _dates++;
        if (_distinctOverflow) return;
        _distinct.Add(value.Length > 200 ? value[..200] : value);
        if (_distinct.Count > DistinctCap) _distinctOverflow = true;
    }

    public ColumnSpec ToSpec()
    {
        var inferred = Infer();
        return new ColumnSpec(Name, inferred, inferred, Missing, _distinctOverflow ? -1 : _distinct.Count,
            _values > 0 && _numeric == _values, _values > 0 && _integers == _values);
    }

    private string Infer()
    {
        if (_values == 0) return ColumnTypes.Categorical;
        var unique = !_distinctOverflow ? _distinct.Count == _values : true;
        var looksLikeId = Name.Equals("id", StringComparison.OrdinalIgnoreCase) || Name.EndsWith("_id", StringComparison.OrdinalIgnoreCase)
                          || Name.EndsWith("Id", StringComparison.Ordinal);
        if (_numeric == _values)
            return _integers == _values && unique && Missing == 0 && (looksLikeId || _values >= 50) ? ColumnTypes.Identifier : ColumnTypes.Numeric;
        if (_dates + _numeric == _values && _dates > 0) return ColumnTypes.Date;
        var averageLength = _totalLength / (double)_values;
        var distinct = _distinctOverflow ? int.MaxValue : _distinct.Count;
        if (distinct <= 100 && (distinct <= _values / 2 || _values < 10)) return ColumnTypes.Categorical;
        if (unique && Missing == 0 && !_hasSpaces && averageLength <= 40) return ColumnTypes.Identifier;
        return ColumnTypes.Text;
    }

    /// <summary>Regression when the label is numeric with many values or with fractions; classification otherwise.</summary>
    public static DatasetTask ProposeTask(ColumnSpec label) =>
        label.AllNumeric && (!label.AllIntegers || label.Distinct is > 20 or -1) ? DatasetTasks.Regression : DatasetTasks.Classification;

    /// <summary>A row's label from its cell: null when missing (or not a number for regression), numbers in invariant form.</summary>
    public static string? LabelOf(string? cell, DatasetTask task)
    {
        if (IsMissing(cell)) return null;
        var value = cell!.Trim();
        if (task != DatasetTasks.Regression) return value.Length > 100 ? value[..100] : value;
        return TryNumber(value, out var number) ? number.ToString("R", CultureInfo.InvariantCulture) : null;
    }
}
