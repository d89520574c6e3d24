namespace AutoMLStudio.Engine.Metrics;

/// <summary>Errors of numeric predictions, in the target's own units; lower is better for both.</summary>
public static class RegressionMetrics
{
    /// <summary>Name of the root mean squared error, as used in a search's objective.</summary>
    public const string Rmse = "rmse";

    /// <summary>Name of the mean absolute error, as used in a search's objective.</summary>
    public const string Mae = "mae";

    /// <summary>Whether <paramref name="metric"/> is one of the regression metrics.</summary>
    public static bool IsRegressionMetric(string metric) => metric is Rmse or Mae;

    /// <summary><c>sqrt(mean((predicted - actual)^2))</c>; 0 for no items.</summary>
    /// <exception cref="ArgumentException">The lists differ in length.</exception>
    public static double RootMeanSquaredError(IReadOnlyList<double> predicted, IReadOnlyList<double> actual) =>
        Math.Sqrt(Mean(predicted, actual, d => d * d));

    /// <summary><c>mean(|predicted - actual|)</c>; 0 for no items.</summary>
    /// <exception cref="ArgumentException">The lists differ in length.</exception>
    public static double MeanAbsoluteError(IReadOnlyList<double> predicted, IReadOnlyList<double> actual) =>
        Mean(predicted, actual, Math.Abs);

    private static double Mean(IReadOnlyList<double> predicted, IReadOnlyList<double> actual, Func<double, double> error)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(actual);
        if (predicted.Count != actual.Count)
            throw new ArgumentException($"{predicted.Count} predictions for {actual.Count} targets.", nameof(predicted));
        if (predicted.Count == 0) return 0;
        double sum = 0;
        for (var i = 0; i < predicted.Count; i++) sum += error(predicted[i] - actual[i]);
        return sum / predicted.Count;
    }
}
