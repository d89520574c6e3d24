using AutoMLStudio.Engine.Metrics;

namespace AutoMLStudio.Engine.Training;

/// <summary>Metrics of one finished epoch of a tabular or text model.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's batches (cross-entropy, or MSE on the standardised target).</param>
/// <param name="ValLoss">The same loss on the validation set after the epoch.</param>
/// <param name="ValMetric">The validation metric after the epoch (accuracy in [0, 1]; RMSE or MAE in the target's units).</param>
/// <param name="Seconds">Wall-clock seconds of the epoch, validation included.</param>
/// <param name="ValConfusion">Classification: validation counts [true][predicted] after the epoch, so the epoch can be scored again under another objective.</param>
/// <param name="ValAccuracy">Images: the validation accuracy beside the objective's value; null where <paramref name="ValMetric"/> is the metric's only value.</param>
public sealed record SupervisedEpochReport(int Epoch, double TrainLoss, double ValLoss, double ValMetric, double Seconds, int[][]? ValConfusion = null,
    double? ValAccuracy = null);

/// <summary>Result of training a tabular or text model.</summary>
/// <param name="Epochs">Every epoch's report, including those replayed from a checkpoint.</param>
/// <param name="Metric">The validation metric the best epoch was chosen by.</param>
/// <param name="BestValMetric">Best validation metric (highest accuracy, lowest error; the earliest epoch wins ties).</param>
/// <param name="BestEpoch">Epoch of <paramref name="BestValMetric"/>.</param>
/// <param name="BestWeightsPath">Path of the best epoch's weights.</param>
/// <param name="Parameters">Trainable parameters of the model.</param>
public sealed record SupervisedTrainingOutcome(
    IReadOnlyList<SupervisedEpochReport> Epochs, string Metric, double BestValMetric, int BestEpoch, string BestWeightsPath, long Parameters);

/// <summary>
/// Evaluation of a tabular or text model. Classification fills <see cref="Accuracy"/>, <see cref="ConfusionMatrix"/>
/// and <see cref="Probabilities"/>; regression fills <see cref="Rmse"/>, <see cref="Mae"/> and <see cref="Predictions"/>.
/// </summary>
/// <param name="Count">Number of examples evaluated.</param>
/// <param name="Loss">Mean loss (cross-entropy, or MSE on the standardised target); 0 for no examples.</param>
/// <param name="Accuracy">Share of correct predictions.</param>
/// <param name="ConfusionMatrix">Counts indexed [true class][predicted class].</param>
/// <param name="Probabilities">Softmax probabilities per example, in data order.</param>
/// <param name="Rmse">Root mean squared error in the target's units.</param>
/// <param name="Mae">Mean absolute error in the target's units.</param>
/// <param name="Predictions">Predicted values in the target's units, in data order.</param>
public sealed record SupervisedEvaluation(
    int Count,
    double Loss,
    double? Accuracy,
    int[][]? ConfusionMatrix,
    float[][]? Probabilities,
    double? Rmse,
    double? Mae,
    double[]? Predictions)
{
    /// <summary>The value of metric <paramref name="name"/> (<c>accuracy</c>, <c>rmse</c> or <c>mae</c>).</summary>
    /// <exception cref="ArgumentException">The evaluation has no such metric.</exception>
    public double Metric(string name) => name switch
    {
        SupervisedMetrics.Accuracy when Accuracy is { } a => a,
        RegressionMetrics.Rmse when Rmse is { } r => r,
        RegressionMetrics.Mae when Mae is { } m => m,
        _ => throw new ArgumentException($"This evaluation has no metric '{name}'.", nameof(name)),
    };
}

/// <summary>The validation metrics tabular and text training can choose the best epoch by.</summary>
public static class SupervisedMetrics
{
    /// <summary>Share of correct predictions; higher is better.</summary>
    public const string Accuracy = "accuracy";

    /// <summary>Accuracy for classification, RMSE for regression.</summary>
    public static string DefaultFor(PredictionTask task) => task == PredictionTask.Classification ? Accuracy : RegressionMetrics.Rmse;

    /// <summary>Whether <paramref name="metric"/> can judge a model of <paramref name="task"/>.</summary>
    public static bool Fits(string metric, PredictionTask task) =>
        task == PredictionTask.Classification
            ? MetricCatalog.Classification.Any(m => m.Name == metric)
            : RegressionMetrics.IsRegressionMetric(metric);

    /// <summary>
    /// The objective a classifier's epochs are scored by (accuracy when none is given), checked against
    /// <paramref name="classCount"/>: a cost matrix must have one row and column per class.
    /// </summary>
    public static Objective ClassificationObjective(Objective? objective, int classCount)
    {
        objective ??= Objective.Accuracy;
        if (objective.CostMatrix is { } costs && costs.Count != classCount)
            throw new ArgumentException($"The cost matrix is {costs.Count}x{costs.Count} but the data has {classCount} classes.", nameof(objective));
        return objective;
    }

    /// <summary>
    /// The value an epoch is judged by: a classifier's confusion matrix scored by <paramref name="objective"/> where it
    /// has one, else <paramref name="metric"/> of the evaluation.
    /// </summary>
    public static double Score(SupervisedEvaluation evaluation, string metric, Objective? objective) =>
        objective is { } o && evaluation.ConfusionMatrix is { } counts ? o.Score(new ConfusionMatrix(counts)) : evaluation.Metric(metric);

    /// <summary>Whether <paramref name="candidate"/> beats <paramref name="best"/> under <paramref name="metric"/> (its <see cref="MetricCatalog"/> direction).</summary>
    public static bool IsBetter(string metric, double candidate, double best) =>
        (MetricCatalog.Find(metric) ?? throw new ArgumentException($"Unknown metric '{metric}'.", nameof(metric))).IsBetter(candidate, best);
}
