using AutoMLStudio.Engine.Metrics;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Engine.Tests.Metrics;

public sealed class RegressionMetricsTests
{
    [Fact]
    public void Rmse_and_mae_match_hand_computed_values()
    {
        double[] predicted = [1, 2, 3, 4];
        double[] actual = [1, 4, 0, 4];

        Assert.Equal(Math.Sqrt((0 + 4 + 9 + 0) / 4.0), RegressionMetrics.RootMeanSquaredError(predicted, actual), 12);
        Assert.Equal((0 + 2 + 3 + 0) / 4.0, RegressionMetrics.MeanAbsoluteError(predicted, actual), 12);
        Assert.Equal(0, RegressionMetrics.RootMeanSquaredError([], []));
        Assert.Throws<ArgumentException>(() => RegressionMetrics.MeanAbsoluteError([1], [1, 2]));
    }

    [Fact]
    public void Lower_error_is_better_and_higher_accuracy_is_better()
    {
        Assert.True(SupervisedMetrics.IsBetter(RegressionMetrics.Rmse, 0.5, 0.7));
        Assert.True(SupervisedMetrics.IsBetter(RegressionMetrics.Mae, 0.5, 0.7));
        Assert.True(SupervisedMetrics.IsBetter(SupervisedMetrics.Accuracy, 0.7, 0.5));
        Assert.False(SupervisedMetrics.Fits(RegressionMetrics.Rmse, PredictionTask.Classification));
        Assert.False(SupervisedMetrics.Fits(SupervisedMetrics.Accuracy, PredictionTask.Regression));
    }

    [Fact]
    public void Standard_scaling_handles_constants_and_numbers_near_the_double_limit()
    {
        var constant = StandardScaling.Fit([5, 5, 5]);
        var huge = StandardScaling.Fit([1.5e308, -1.5e308, 1e308]);

        Assert.Equal(new StandardScaling(5, 1), constant);
        Assert.True(double.IsFinite(huge.Mean) && double.IsFinite(huge.Scale) && huge.Scale > 1e307, huge.ToString());
        Assert.InRange(huge.Apply(double.MaxValue), 0, StandardScaling.Limit);
        Assert.Equal(-StandardScaling.Limit, huge.Apply(-double.MaxValue)); // the difference overflows; clipping keeps it finite
        Assert.Equal(12.5, StandardScaling.Fit([10, 20]).Invert(StandardScaling.Fit([10, 20]).Apply(12.5)), 9);
    }
}
