using AutoMLStudio.Engine.Scheduling;

namespace AutoMLStudio.Engine.Tests.Scheduling;

public sealed class AshaSchedulerTests
{
    [Fact]
    public void Rungs_sit_at_min_epochs_times_powers_of_eta()
    {
        Assert.Equal([1, 3, 9, 27], new AshaScheduler(1, 27, 3).RungEpochs);
        Assert.Equal([2, 4, 8], new AshaScheduler(2, 10, 2).RungEpochs);
    }

    [Fact]
    public void At_a_rung_only_the_top_third_so_far_continues_and_fewer_than_eta_values_always_continue()
    {
        var asha = new AshaScheduler(1, 27, 3);

        var decisions = new[] { 0.9, 0.5, 0.7, 0.2 }.Select((value, i) => asha.Report(i + 1, 1, value)).ToArray();

        Assert.False(decisions[0].Pruned); // first at the rung: fewer than η values
        Assert.False(decisions[1].Pruned); // second: still fewer than η
        Assert.True(decisions[2].Pruned);  // 3 values -> top 1 (0.9) goes on; 0.7 does not
        Assert.True(decisions[3].Pruned);  // 4 values -> top 1; 0.2 is not in the top third
        Assert.False(asha.Report(5, 1, 0.95).Pruned); // a new best always goes on
    }

    [Fact]
    public void A_value_equal_to_the_threshold_continues_and_epochs_between_rungs_never_prune()
    {
        var asha = new AshaScheduler(1, 27, 3);
        foreach (var (trial, value) in new[] { (1, 0.8), (2, 0.4), (3, 0.4) }) asha.Report(trial, 1, value);

        Assert.False(asha.Report(4, 1, 0.8).Pruned);
        Assert.False(asha.Report(2, 2, 0.1).Pruned); // epoch 2 is no rung
    }

    [Fact]
    public void The_last_epoch_never_prunes_because_stopping_there_saves_nothing()
    {
        var asha = new AshaScheduler(1, 3, 3);
        foreach (var trial in new[] { 1, 2, 3 }) asha.Report(trial, 3, 0.9);

        Assert.False(asha.Report(4, 3, 0.1).Pruned);
    }

    [Fact]
    public void Prune_reason_says_the_epoch_the_value_the_threshold_and_the_rung()
    {
        var asha = new AshaScheduler(1, 27, 3, "validation accuracy");
        asha.Report(1, 3, 0.9);
        asha.Report(2, 3, 0.8);

        var decision = asha.Report(3, 3, 0.61);

        Assert.True(decision.Pruned);
        Assert.Equal("Stopped at epoch 3: its validation accuracy 61% was below the best third of the 3 trials that reached "
            + "epoch 3 (they needed at least 90%; ASHA rung 2 of 4).", decision.Reason);
    }

    [Fact]
    public void Replaying_the_same_reports_in_order_gives_the_same_decisions()
    {
        var rng = new Random(9);
        var reports = Enumerable.Range(1, 30)
            .SelectMany(trial => Enumerable.Range(1, 9).Select(epoch => (trial, epoch, value: rng.NextDouble())))
            .ToArray();

        Assert.Equal(Decide(reports), Decide(reports));
        Assert.Contains(Decide(reports), d => d.Pruned);

        static List<SchedulerDecision> Decide((int Trial, int Epoch, double Value)[] reports)
        {
            var asha = new AshaScheduler(1, 9, 3);
            return [.. reports.Select(r => asha.Report(r.Trial, r.Epoch, r.Value))];
        }
    }

    [Fact]
    public void A_diverged_trial_with_a_NaN_value_ranks_below_every_real_value()
    {
        var asha = new AshaScheduler(1, 9, 3);
        asha.Report(1, 1, 0.1);
        asha.Report(2, 1, 0.2);

        Assert.True(asha.Report(3, 1, double.NaN).Pruned);
    }
}
