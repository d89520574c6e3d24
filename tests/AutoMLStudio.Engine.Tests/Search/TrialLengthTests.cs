using AutoMLStudio.Engine.Search;

namespace AutoMLStudio.Engine.Tests.Search;

public sealed class TrialLengthTests
{
    [Fact]
    public void Small_data_trains_many_epochs_to_reach_the_step_floor()
    {
        // 200 images at batch 64: 4 steps an epoch; 1000 steps would be 250 epochs, capped at 100.
        var plan = TrialLength.Plan(trainItems: 200, batchSize: 64, secondsPerEpoch: 0.1, overheadSeconds: 1, budgetSeconds: 600, slots: 2);

        Assert.Equal(4, plan.StepsPerEpoch);
        Assert.Equal(TrialLength.MaxEpochs, plan.EpochsPerTrial);
        Assert.Equal(11, plan.SecondsPerTrial, 6);
        Assert.Equal(109, plan.ExpectedTrials); // 1200 slot-seconds / 11 s
    }

    [Fact]
    public void Large_data_is_capped_by_throughput_so_the_budget_buys_ten_trials()
    {
        // 60,000 images at batch 64: 938 steps an epoch, so the floor asks for 3 epochs (the ASHA minimum); at 50 s an
        // epoch, a 10-minute budget on one slot allows 60 s a trial: one epoch.
        var plan = TrialLength.Plan(trainItems: 60_000, batchSize: 64, secondsPerEpoch: 50, overheadSeconds: 2, budgetSeconds: 600, slots: 1);

        Assert.Equal(938, plan.StepsPerEpoch);
        Assert.Equal(1, plan.EpochsPerTrial);
        Assert.Equal(11, plan.ExpectedTrials);

        var roomy = TrialLength.Plan(trainItems: 60_000, batchSize: 64, secondsPerEpoch: 5, overheadSeconds: 2, budgetSeconds: 600, slots: 1);
        Assert.Equal(3, roomy.EpochsPerTrial);
    }

    [Fact]
    public void The_persons_limits_win_over_the_plan()
    {
        var plan = TrialLength.Plan(trainItems: 200, batchSize: 64, secondsPerEpoch: 0.1, overheadSeconds: 1, budgetSeconds: 600, slots: 2,
            maxEpochs: 7, maxTrials: 5);

        Assert.Equal(7, plan.EpochsPerTrial);
        Assert.Equal(5, plan.ExpectedTrials);
    }

    [Fact]
    public void The_cost_model_adds_compute_to_a_fixed_cost_per_step_and_epoch()
    {
        // 1000 training items at 1 MFLOP forward (3 MFLOP with backward) and 200 validation items at 1 GFLOP/s: 3.2 s of
        // compute, 16 steps of 2 ms and 50 ms an epoch.
        var seconds = TrialLength.EstimateEpochSeconds(1000, 200, 64, 1e6, 1e9);

        Assert.Equal(3.2 + 16 * TrialLength.StepSeconds + TrialLength.EpochSeconds, seconds, 6);
    }
}
