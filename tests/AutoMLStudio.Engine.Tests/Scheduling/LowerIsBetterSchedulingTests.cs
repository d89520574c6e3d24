using AutoMLStudio.Engine.Metrics;
using AutoMLStudio.Engine.Scheduling;

namespace AutoMLStudio.Engine.Tests.Scheduling;

public sealed class LowerIsBetterSchedulingTests
{
    [Fact]
    public void Asha_keeps_the_cheapest_trials_and_its_reason_shows_the_real_cost()
    {
        var asha = new AshaScheduler(1, 27, 3, "validation cost per item", MetricDirection.LowerIsBetter);
        asha.Report(1, 3, 0.2);
        asha.Report(2, 3, 1.5);

        var cheap = asha.Report(4, 3, 0.1);
        var costly = asha.Report(3, 3, 2.5);

        Assert.False(cheap.Pruned);
        Assert.True(costly.Pruned);
        Assert.Equal("Stopped at epoch 3: its validation cost per item 2.5 was above the best third of the 4 trials that reached "
            + "epoch 3 (they needed at most 0.1; ASHA rung 2 of 4).", costly.Reason);
    }

    [Fact]
    public void Median_stopping_prunes_a_trial_whose_best_cost_is_above_the_median()
    {
        var median = TrialSchedulers.Create("median", 10, metricName: "validation cost per item", direction: MetricDirection.LowerIsBetter);
        foreach (var (trial, cost) in new[] { (1, 3.0), (2, 2.0), (3, 4.0) })
        {
            for (var epoch = 1; epoch <= 10; epoch++) median.Report(trial, epoch, cost);
        }
        median.Report(4, 1, 6.0);

        var decision = median.Report(4, 2, 5.0);

        Assert.True(decision.Pruned);
        Assert.Equal("Stopped at epoch 2: its best validation cost per item so far, 5, was above 3, the median of the "
            + "3 other trials at epoch 2 (median stopping).", decision.Reason);
        Assert.False(median.Report(5, 2, 1.0).Pruned);
    }
}
