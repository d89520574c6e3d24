using AutoMLStudio.Core.Searches;
using AutoMLStudio.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace AutoMLStudio.Web.UiTests;

public sealed class TrainFormTests : BunitTest
{
    [Fact]
    public async Task Zero_trials_are_refused_with_a_visible_message_and_nothing_starts()
    {
        var started = 0;
        var cut = Render<TrainForm>(p => p.Add(c => c.OnStart, (TrainFormModel _) => started++));

        await cut.Find("#max-trials").ChangeAsync(new ChangeEventArgs { Value = "0" });
        await cut.Find("button.start-training").ClickAsync(new MouseEventArgs());

        Assert.Contains("Max trials must be between 1 and 1000.", cut.Find(".train-form-errors").TextContent);
        Assert.Equal(0, started);
    }

    [Fact]
    public async Task Negative_minutes_are_refused_with_a_visible_message_and_nothing_starts()
    {
        var started = 0;
        var cut = Render<TrainForm>(p => p
            .Add(c => c.Model, new TrainFormModel { MaxMinutes = -5 })
            .Add(c => c.OnStart, (TrainFormModel _) => started++));

        await cut.Find("button.start-training").ClickAsync(new MouseEventArgs());

        Assert.Contains("Max minutes must be more than 0", cut.Find(".train-form-errors").TextContent);
        Assert.Equal(0, started);
    }

    [Fact]
    public async Task A_valid_budget_starts_with_the_defaults_and_typed_values()
    {
        TrainFormModel? started = null;
        var cut = Render<TrainForm>(p => p.Add(c => c.OnStart, (TrainFormModel m) => started = m));

        await cut.Find("#max-trials").ChangeAsync(new ChangeEventArgs { Value = "2" });
        await cut.Find("button.start-training").ClickAsync(new MouseEventArgs());

        Assert.NotNull(started);
        Assert.Equal((2, 10.0, (int?)null, "accuracy"), (started.MaxTrials, started.MaxMinutes, started.MaxEpochsPerTrial, started.Metric));
        Assert.Empty(cut.FindAll(".train-form-errors"));
    }

    [Fact]
    public async Task A_regression_dataset_offers_error_metrics_and_starts_with_rmse()
    {
        TrainFormModel? started = null;
        var cut = Render<TrainForm>(p => p
            .Add(c => c.Task, SearchTasks.TabularRegression)
            .Add(c => c.OnStart, (TrainFormModel m) => started = m));

        Assert.Contains("Typical error (RMSE)", cut.Find(".train-metric").TextContent);
        await cut.Find("button.start-training").ClickAsync(new MouseEventArgs());

        Assert.NotNull(started);
        var request = started.ToRequest(Guid.NewGuid());
        Assert.Equal("rmse", request.Objective!.Metric);
        Assert.Null(request.Objective.CostMatrix);
    }

    [Fact]
    public async Task A_latency_limit_and_a_trade_off_go_into_the_request_and_a_negative_limit_is_refused()
    {
        TrainFormModel? started = null;
        var cut = Render<TrainForm>(p => p
            .Add(c => c.Model, new TrainFormModel { TradeOff = "params" })
            .Add(c => c.OnStart, (TrainFormModel m) => started = m));

        Assert.Contains("shown as a front on the search page", cut.Find(".train-form").TextContent);
        await cut.Find("#max-latency").ChangeAsync(new ChangeEventArgs { Value = "-3" });
        await cut.Find("button.start-training").ClickAsync(new MouseEventArgs());
        Assert.Null(started);
        Assert.Contains("Max latency must be a positive number", cut.Find(".train-form-errors").TextContent);

        await cut.Find("#max-latency").ChangeAsync(new ChangeEventArgs { Value = "25" });
        await cut.Find("button.start-training").ClickAsync(new MouseEventArgs());

        Assert.NotNull(started);
        var objective = started.ToRequest(Guid.Empty).Objective!;
        Assert.Equal((25.0, "params"), (objective.Constraints!.MaxLatencyMs, objective.TradeOff));
    }

    [Fact]
    public async Task The_form_says_before_start_what_the_budget_buys_and_the_default_minutes()
    {
        // A 380-row table on a machine doing 10 GFLOP/s with two trials side by side; the dataset's default is 3 minutes.
        var profile = new BudgetProfile(SearchTasks.TabularClassification, 380, 266, 57, 64, 50_000, 1e10, 2, 3);
        var cut = Render<TrainForm>(p => p
            .Add(c => c.Model, new TrainFormModel { MaxMinutes = 3 })
            .Add(c => c.Profile, profile));

        var estimate = cut.Find(".budget-estimate").TextContent;
        var expected = BudgetPlan.Estimate(profile, 3, null, null);
        Assert.Contains($"About {expected.ExpectedTrials} trials of about", estimate);
        Assert.Contains($"({expected.EpochsPerTrial} epochs) in 3 minutes, from this machine's measured speed.", estimate);
        Assert.Contains("With no limit set, a search on this data gets 3 minutes.", estimate);
        Assert.Empty(cut.Find("#max-trials").GetAttribute("value") ?? "");
        Assert.Empty(cut.Find("#max-epochs").GetAttribute("value") ?? "");

        await cut.Find("#max-trials").ChangeAsync(new ChangeEventArgs { Value = "4" });
        Assert.Contains("About 4 trials of about", cut.Find(".budget-estimate").TextContent);
    }
}
