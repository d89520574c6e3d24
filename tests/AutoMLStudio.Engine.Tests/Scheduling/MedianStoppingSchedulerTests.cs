using AutoMLStudio.Engine.Scheduling;

namespace AutoMLStudio.Engine.Tests.Scheduling;

public sealed class MedianStoppingSchedulerTests
{
    private static MedianStoppingScheduler WithThreeFinishedTrials()
    {
        var median = new MedianStoppingScheduler(maxEpochs: 10, graceEpochs: 2, minOtherTrials: 3, metricName: "validation accuracy");
        foreach (var (trial, value) in new[] { (1, 0.6), (2, 0.7), (3, 0.8) })
        {
            for (var epoch = 1; epoch <= 10; epoch++) median.Report(trial, epoch, value);
        }
        return median;
    }

    [Fact]
    public void A_trial_below_the_median_after_the_grace_epochs_is_pruned_with_a_reason()
    {
        var median = WithThreeFinishedTrials();
        median.Report(4, 1, 0.5);
        median.Report(4, 2, 0.5);

        var decision = median.Report(4, 3, 0.55);

        Assert.True(decision.Pruned);
        Assert.Equal("Stopped at epoch 3: its best validation accuracy so far, 55%, was below 70%, the median of the "
            + "3 other trials at epoch 3 (median stopping).", decision.Reason);
    }

    [Fact]
    public void Within_the_grace_epochs_even_a_poor_trial_continues()
    {
        var median = WithThreeFinishedTrials();

        Assert.False(median.Report(4, 1, 0.1).Pruned);
        Assert.False(median.Report(4, 2, 0.1).Pruned);
    }

    [Fact]
    public void With_too_few_other_trials_at_the_epoch_nothing_is_pruned()
    {
        var median = new MedianStoppingScheduler(maxEpochs: 10, graceEpochs: 1, minOtherTrials: 3);
        for (var epoch = 1; epoch <= 5; epoch++)
        {
            median.Report(1, epoch, 0.9);
            median.Report(2, epoch, 0.9);
        }

        Assert.False(median.Report(3, 3, 0.1).Pruned);
    }

    [Fact]
    public void The_best_value_so_far_counts_so_a_dip_at_or_above_the_median_is_forgiven()
    {
        var median = WithThreeFinishedTrials();
        median.Report(4, 3, 0.75);

        Assert.False(median.Report(4, 4, 0.5).Pruned);
    }
}
