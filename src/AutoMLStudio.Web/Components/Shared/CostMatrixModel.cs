using System.Globalization;
using AutoMLStudio.Core.Searches;

namespace AutoMLStudio.Web.Components.Shared;

/// <summary>
/// What the cost-matrix editor edits: one cell per (true class, predicted class). Correct answers (the diagonal) cost 0
/// and every mistake 1 until the user says otherwise; an emptied cell stays empty (and is an error) rather than
/// silently becoming 0.
/// </summary>
public sealed class CostMatrixModel
{
    private readonly double?[][] _cells;

    public CostMatrixModel(IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        Classes = [.. classes];
        _cells = Enumerable.Range(0, Classes.Count)
            .Select(t => Enumerable.Range(0, Classes.Count).Select(p => (double?)(t == p ? 0 : 1)).ToArray()).ToArray();
    }

    /// <summary>Class names in label order: row = true class, column = predicted class.</summary>
    public IReadOnlyList<string> Classes { get; }

    public double? this[int truth, int predicted]
    {
        get => _cells[truth][predicted];
        set => _cells[truth][predicted] = value;
    }

    /// <summary>True when this editor was made for exactly these classes, in this order.</summary>
    public bool IsFor(IReadOnlyList<string> classes) => Classes.SequenceEqual(classes);

    /// <summary>What is wrong with one cell, or null.</summary>
    public string? CellError(int truth, int predicted) => _cells[truth][predicted] switch
    {
        null => "Enter a number.",
        < 0 => "Costs cannot be negative.",
        > CostMatrixRules.MaxCost => $"At most {CostMatrixRules.MaxCost.ToString("N0", CultureInfo.InvariantCulture)}.",
        _ => null,
    };

    /// <summary>What is wrong with the matrix as a whole (checked as the server checks it), or null when it can be sent.</summary>
    public string? Problem()
    {
        var bad = Enumerable.Range(0, Classes.Count).SelectMany(t => Enumerable.Range(0, Classes.Count).Select(p => (t, p)))
            .Count(c => CellError(c.t, c.p) is not null);
        if (bad > 0) return bad == 1 ? "One cost needs fixing." : $"{bad} costs need fixing.";
        return CostMatrixRules.Problem(ToArray(), Classes.Count);
    }

    /// <summary>The costs as the API takes them (empty cells as 0; send only when <see cref="Problem"/> is null).</summary>
    public double[][] ToArray() => [.. _cells.Select(row => row.Select(c => c ?? 0).ToArray())];
}
