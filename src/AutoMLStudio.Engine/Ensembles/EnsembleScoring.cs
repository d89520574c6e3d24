using AutoMLStudio.Engine.Metrics;

namespace AutoMLStudio.Engine.Ensembles;

/// <summary>One model's predictions on the validation split: class probabilities per example, or predicted values.</summary>
/// <param name="Probabilities">Classification: [example][class].</param>
/// <param name="Values">Regression: one value per example, in the target's units.</param>
public sealed record ModelPredictions(float[][]? Probabilities, double[]? Values)
{
    /// <summary>The number of examples.</summary>
    public int Count => Probabilities?.Length ?? Values?.Length ?? 0;
}

/// <summary>A score of combined predictions: the search's metric, and a loss that breaks ties (lower is better).</summary>
/// <param name="Metric">The metric's value in its own terms (a cost or an error is lower-is-better).</param>
/// <param name="Loss">Log-loss for classifiers, mean squared error for regression.</param>
public readonly record struct EnsembleScore(double Metric, double Loss);

/// <summary>
/// How the search judges a model on the validation split, applied to averaged predictions: the objective (accuracy, macro F1
/// or a cost matrix) on the argmax for classifiers, RMSE or MAE for regression; log-loss or squared error breaks ties.
/// </summary>
public sealed class EnsembleScoring
{
    private readonly int[]? _labels;
    private readonly int _classCount;
    private readonly Objective? _objective;
    private readonly double[]? _targets;
    private readonly string? _regressionMetric;

    private EnsembleScoring(int[]? labels, int classCount, Objective? objective, double[]? targets, string? regressionMetric)
    {
        _labels = labels;
        _classCount = classCount;
        _objective = objective;
        _targets = targets;
        _regressionMetric = regressionMetric;
    }

    /// <summary>Scores classifiers by <paramref name="objective"/> (accuracy when null) against <paramref name="labels"/>.</summary>
    public static EnsembleScoring Classifier(int[] labels, int classCount, Objective? objective)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return new EnsembleScoring(labels, classCount, objective ?? Objective.Accuracy, null, null);
    }

    /// <summary>Scores regressions by <paramref name="metric"/> (<c>rmse</c> or <c>mae</c>) against <paramref name="targets"/>.</summary>
    public static EnsembleScoring Regression(double[] targets, string metric)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (!RegressionMetrics.IsRegressionMetric(metric)) throw new ArgumentException($"'{metric}' is not a regression metric.", nameof(metric));
        return new EnsembleScoring(null, 0, null, targets, metric);
    }

    /// <summary>Whether a smaller metric is better.</summary>
    public bool LowerIsBetter => _objective?.Metric.LowerIsBetter ?? true;

    /// <summary>Whether <paramref name="a"/> is strictly better than <paramref name="b"/>: the metric first, the loss on a tie.</summary>
    public bool IsBetter(EnsembleScore a, EnsembleScore b)
    {
        var (ma, mb) = LowerIsBetter ? (-a.Metric, -b.Metric) : (a.Metric, b.Metric);
        if (double.IsNaN(ma)) return false;
        if (double.IsNaN(mb) || ma > mb) return true;
        return ma == mb && a.Loss < b.Loss;
    }

    /// <summary>Whether <paramref name="a"/>'s metric alone is strictly better than <paramref name="metric"/>.</summary>
    public bool IsBetterMetric(double a, double metric) =>
        !double.IsNaN(a) && (double.IsNaN(metric) || (LowerIsBetter ? a < metric : a > metric));

    /// <summary>The score of the sum of some models' predictions divided by <paramref name="count"/> (their mean).</summary>
    internal EnsembleScore Score(double[][]? probabilitySums, double[]? valueSums, int count)
    {
        if (_labels is not null)
        {
            var confusion = new ConfusionMatrix(_classCount);
            double logLoss = 0;
            for (var i = 0; i < _labels.Length; i++)
            {
                var row = probabilitySums![i];
                var predicted = 0;
                for (var c = 1; c < row.Length; c++) if (row[c] > row[predicted]) predicted = c;
                confusion.Add(_labels[i], predicted);
                logLoss -= Math.Log(Math.Max(row[_labels[i]] / count, 1e-12));
            }
            return new EnsembleScore(_objective!.Score(confusion), _labels.Length == 0 ? 0 : logLoss / _labels.Length);
        }
        double squared = 0, absolute = 0;
        for (var i = 0; i < _targets!.Length; i++)
        {
            var error = valueSums![i] / count - _targets[i];
            squared += error * error;
            absolute += Math.Abs(error);
        }
        var n = Math.Max(1, _targets.Length);
        var mse = squared / n;
        return new EnsembleScore(_regressionMetric == RegressionMetrics.Mae ? absolute / n : Math.Sqrt(mse), mse);
    }
}
