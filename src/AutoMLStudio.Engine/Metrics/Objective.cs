using System.Globalization;

namespace AutoMLStudio.Engine.Metrics;

/// <summary>What "good" means for a search: a metric, and for <c>cost</c> what each kind of mistake costs.</summary>
public sealed class Objective
{
    /// <summary>The largest cost one mistake may have: far beyond any real ratio, yet sums stay exact in a double.</summary>
    public const double MaxCost = 1_000_000;

    private readonly double[][]? _costMatrix;

    /// <summary>An objective; <paramref name="costMatrix"/> is required by <c>cost</c> and refused by the others.</summary>
    /// <exception cref="ArgumentException">Unknown metric, or a cost matrix that <see cref="CostMatrixProblem"/> rejects.</exception>
    public Objective(MetricDefinition metric, IReadOnlyList<IReadOnlyList<double>?>? costMatrix = null, int? classCount = null)
    {
        ArgumentNullException.ThrowIfNull(metric);
        Metric = metric;
        if (metric.NeedsCostMatrix != costMatrix is not null)
            throw new ArgumentException(metric.NeedsCostMatrix
                ? $"The metric '{metric.Name}' needs a cost matrix."
                : $"A cost matrix only goes with the metric 'cost', not '{metric.Name}'.", nameof(costMatrix));
        if (costMatrix is not null)
        {
            var problem = CostMatrixProblem(costMatrix, classCount ?? costMatrix.Count);
            if (problem is not null) throw new ArgumentException(problem, nameof(costMatrix));
            _costMatrix = costMatrix.Select(row => row!.ToArray()).ToArray();
        }
    }

    /// <summary>Accuracy, the objective when nothing else is asked for.</summary>
    public static Objective Accuracy { get; } = new(MetricCatalog.Accuracy);

    /// <summary>The metric optimised.</summary>
    public MetricDefinition Metric { get; }

    /// <summary>Cost of predicting [predicted] for an item of [true] class; null unless the metric is <c>cost</c>.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? CostMatrix => _costMatrix;

    /// <summary>The metric's value for <paramref name="confusion"/>.</summary>
    public double Score(ConfusionMatrix confusion)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        if (_costMatrix is not null) return ClassificationMetrics.ExpectedCost(confusion, _costMatrix);
        return Metric == MetricCatalog.MacroF1 ? ClassificationMetrics.MacroF1(confusion) : ClassificationMetrics.Accuracy(confusion);
    }

    /// <summary>
    /// Why <paramref name="costMatrix"/> cannot be used for <paramref name="classCount"/> classes, or null when it can:
    /// it must be square with one row and column per class, hold finite numbers from 0 to <see cref="MaxCost"/>, and put
    /// a cost above 0 on at least one mistake (off the diagonal), or every model would be equally good.
    /// </summary>
    public static string? CostMatrixProblem(IReadOnlyList<IReadOnlyList<double>?> costMatrix, int classCount)
    {
        ArgumentNullException.ThrowIfNull(costMatrix);
        if (classCount < 2) return "A cost matrix needs at least two classes.";
        if (costMatrix.Count != classCount)
            return $"The cost matrix has {costMatrix.Count} rows but needs {classCount}x{classCount}: one row and one column per class.";
        for (var t = 0; t < classCount; t++)
        {
            var row = costMatrix[t];
            if (row is null) return $"Row {t + 1} of the cost matrix is missing.";
            if (row.Count != classCount)
                return $"Row {t + 1} of the cost matrix has {row.Count} numbers but needs {classCount}: one per class.";
            for (var p = 0; p < classCount; p++)
            {
                if (!double.IsFinite(row[p]) || row[p] < 0 || row[p] > MaxCost)
                    return $"The cost in row {t + 1}, column {p + 1} is {row[p].ToString(CultureInfo.InvariantCulture)}; costs must be between 0 and {MaxCost.ToString("N0", CultureInfo.InvariantCulture)}.";
            }
        }
        var anyMistakeCosts = Enumerable.Range(0, classCount).Any(t => Enumerable.Range(0, classCount).Any(p => p != t && costMatrix[t]![p] > 0));
        return anyMistakeCosts ? null : "At least one mistake (a cell off the diagonal) must cost more than 0.";
    }
}
