using AutoMLStudio.Core.Searches;
using AutoMLStudio.Web.Components.Shared;

namespace AutoMLStudio.Web.UiTests;

public sealed class BudgetUsageTests : BunitTest
{
    [Fact]
    public void Without_a_trial_limit_it_counts_trials_and_says_which_limit_ended_the_search_and_what_early_stopping_did()
    {
        var pruned = Enumerable.Repeat((TrialStatus.Pruned, (string?)"Stopped at epoch 1", 1), 8)
            .Concat(Enumerable.Repeat((TrialStatus.Pruned, (string?)"Stopped at epoch 3", 3), 4))
            .Append((TrialStatus.Pruned, "Training diverged at epoch 2: the loss is no longer a number.", 2))
            .Append((TrialStatus.Completed, null, 9));
        var stopping = EarlyStoppingSummary.From(pruned).Describe(SearchScheduler.Asha);

        var cut = Render<BudgetUsage>(p => p
            .Add(c => c.TrialsDone, 41)
            .Add(c => c.MaxTrials, null)
            .Add(c => c.MinutesElapsed, 6.1)
            .Add(c => c.MaxMinutes, 6)
            .Add(c => c.EndReason, "Used its 6 minutes: 41 trials.")
            .Add(c => c.EarlyStopping, stopping));

        Assert.Equal("Trials: 41", cut.Find(".trials-used").TextContent.Trim());
        Assert.Equal("Used its 6 minutes: 41 trials.", cut.Find(".end-reason").TextContent.Trim());
        Assert.Equal("ASHA stopped 12 trials early: 8 after epoch 1, 4 after epoch 3.", cut.Find(".early-stopping").TextContent.Trim());
    }

    [Fact]
    public void With_a_trial_limit_it_shows_trials_of_the_limit()
    {
        var cut = Render<BudgetUsage>(p => p.Add(c => c.TrialsDone, 3).Add(c => c.MaxTrials, 20).Add(c => c.MaxMinutes, 6));

        Assert.Equal("Trials: 3 of 20", cut.Find(".trials-used").TextContent.Trim());
        Assert.Empty(cut.FindAll(".end-reason"));
    }
}
