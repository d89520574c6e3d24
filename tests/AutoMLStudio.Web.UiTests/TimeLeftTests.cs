using AutoMLStudio.Core.Searches;
using AutoMLStudio.Web.Components.Shared;

namespace AutoMLStudio.Web.UiTests;

public sealed class TimeLeftTests : BunitTest
{
    private static TrialView Trial(int number, string status, params double[] epochSeconds)
    {
        var trial = new TrialView { Id = Guid.NewGuid(), Number = number, Status = status };
        trial.Epochs.AddRange(epochSeconds.Select((s, i) => new EpochPoint(i + 1, 1, 1, 0.5, s)));
        return trial;
    }

    [Fact]
    public void Remaining_epochs_at_the_pace_so_far_spread_over_the_running_trials()
    {
        // 4 trials of 5 epochs at 60 s an epoch: trial 1 done, trials 2 and 3 running with 3 and 1 epochs to go, trial 4 not
        // proposed yet (5 epochs): 9 epochs over 2 trials side by side, 4.5 minutes.
        TrialView[] trials = [Trial(1, "completed", 60, 60, 60, 60, 60), Trial(2, "running", 60, 60), Trial(3, "running", 60, 60, 60, 60)];

        Assert.Equal(4.5, TimeLeftEstimate.Minutes(trials, maxTrials: 4, epochsPerTrial: 5, maxMinutes: 60, minutesElapsed: 5)!.Value, 9);
    }

    [Fact]
    public void The_time_budget_caps_the_estimate_and_no_epoch_means_no_estimate()
    {
        TrialView[] slow = [Trial(1, "running", 600)];
        Assert.Equal(2, TimeLeftEstimate.Minutes(slow, maxTrials: 10, epochsPerTrial: 10, maxMinutes: 12, minutesElapsed: 10));
        Assert.Null(TimeLeftEstimate.Minutes([Trial(1, "running")], maxTrials: 3, epochsPerTrial: 5, maxMinutes: 12, minutesElapsed: 1));
    }

    [Fact]
    public void The_budget_card_says_the_estimate_while_running_and_the_budget_bound_before_the_first_epoch()
    {
        var estimated = Render<BudgetUsage>(p => p.Add(c => c.Running, true).Add(c => c.MaxMinutes, 30).Add(c => c.MinutesElapsed, 3)
            .Add(c => c.MinutesLeft, 7.2));
        Assert.Equal("About 8 min left, then the final evaluation.", estimated.Find(".time-left").TextContent);

        var early = Render<BudgetUsage>(p => p.Add(c => c.Running, true).Add(c => c.MaxMinutes, 30).Add(c => c.MinutesElapsed, 3));
        Assert.StartsWith("At most 27 min left (time budget)", early.Find(".time-left").TextContent);

        var ended = Render<BudgetUsage>(p => p.Add(c => c.Running, false).Add(c => c.MinutesLeft, 7.2));
        Assert.Empty(ended.FindAll(".time-left"));
    }
}
