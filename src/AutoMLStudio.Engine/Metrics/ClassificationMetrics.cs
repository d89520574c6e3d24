namespace AutoMLStudio.Engine.Metrics;

/// <summary>How well a classifier did on one class.</summary>
/// <param name="Precision">Of the items predicted as this class, the share that were; 0 when it was never predicted.</param>
/// <param name="Recall">Of the items of this class, the share predicted as it; 0 when the class has no items.</param>
/// <param name="F1">Harmonic mean of precision and recall; 0 when both are 0.</param>
/// <param name="Support">Number of items whose true class this is.</param>
public sealed record ClassScores(double Precision, double Recall, double F1, int Support);

/// <summary>Scores computed from a <see cref="ConfusionMatrix"/>.</summary>
public static class ClassificationMetrics
{
    /// <summary>Share of items on the diagonal; 0 for an empty matrix.</summary>
    public static double Accuracy(ConfusionMatrix confusion)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        var total = confusion.Total;
        if (total == 0) return 0;
        long correct = 0;
        for (var c = 0; c < confusion.ClassCount; c++) correct += confusion[c, c];
        return (double)correct / total;
    }

    /// <summary>Precision, recall, F1 and support of every class, in class order.</summary>
    public static IReadOnlyList<ClassScores> PerClass(ConfusionMatrix confusion)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        var scores = new ClassScores[confusion.ClassCount];
        for (var c = 0; c < confusion.ClassCount; c++)
        {
            var support = RowSum(confusion, c);
            var predicted = ColumnSum(confusion, c);
            var hits = confusion[c, c];
            var precision = predicted == 0 ? 0 : (double)hits / predicted;
            var recall = support == 0 ? 0 : (double)hits / support;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            scores[c] = new ClassScores(precision, recall, f1, support);
        }
        return scores;
    }

    /// <summary>
    /// Mean F1 over the classes, each class counting the same whatever its size. A class with no items and no predictions
    /// is left out: nothing can be said about it, and counting it as 0 would punish a model for a class absent from this
    /// split. A class that was predicted but has no items still counts (with F1 0): those predictions were all wrong.
    /// 0 when no class is left.
    /// </summary>
    public static double MacroF1(ConfusionMatrix confusion)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        var scores = PerClass(confusion);
        var counted = Enumerable.Range(0, confusion.ClassCount)
            .Where(c => scores[c].Support > 0 || ColumnSum(confusion, c) > 0)
            .Select(c => scores[c].F1).ToList();
        return counted.Count == 0 ? 0 : counted.Average();
    }

    /// <summary>
    /// Expected cost per item: <c>Σ confusion[t][p] · cost[t][p] / count</c>; lower is better, 0 for an empty matrix.
    /// </summary>
    /// <exception cref="ArgumentException">The cost matrix is not the size of the confusion matrix.</exception>
    public static double ExpectedCost(ConfusionMatrix confusion, IReadOnlyList<IReadOnlyList<double>> cost)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        ArgumentNullException.ThrowIfNull(cost);
        if (cost.Count != confusion.ClassCount || cost.Any(row => row is null || row.Count != confusion.ClassCount))
            throw new ArgumentException(
                $"The cost matrix must be {confusion.ClassCount}x{confusion.ClassCount}, like the confusion matrix.", nameof(cost));
        var total = confusion.Total;
        if (total == 0) return 0;
        double sum = 0;
        for (var t = 0; t < confusion.ClassCount; t++)
        for (var p = 0; p < confusion.ClassCount; p++) sum += confusion[t, p] * cost[t][p];
        return sum / total;
    }

    private static int RowSum(ConfusionMatrix confusion, int row)
    {
        var sum = 0;
        for (var p = 0; p < confusion.ClassCount; p++) sum += confusion[row, p];
        return sum;
    }

    private static int ColumnSum(ConfusionMatrix confusion, int column)
    {
        var sum = 0;
        for (var t = 0; t < confusion.ClassCount; t++) sum += confusion[t, column];
        return sum;
    }
}
