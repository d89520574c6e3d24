using AutoMLStudio.Core.Searches;
using AutoMLStudio.Web.Components.Shared;
using Microsoft.AspNetCore.Components.Web;

namespace AutoMLStudio.Web.UiTests;

public sealed class LearningCurvesTests : BunitTest
{
    [Fact]
    public void Shows_one_series_per_trial_and_grows_points_as_epoch_events_arrive()
    {
        var state = new SearchLiveState(RecordedSearch.SearchId);
        var cut = Render<LearningCurves>(p => p.Add(c => c.Trials, state.Trials).Add(c => c.MaxEpochs, 3));
        Assert.Empty(cut.FindAll("g.curve-series"));

        var pointsSeen = new List<int>();
        foreach (var searchEvent in RecordedSearch.Events)
        {
            state.Apply(searchEvent);
            cut.Render();
            if (searchEvent is EpochCompleted) pointsSeen.Add(cut.FindAll("circle.curve-point").Count);
        }

        Assert.Equal([1, 2, 3, 4], pointsSeen);
        var series = cut.FindAll("g.curve-series");
        Assert.Equal(["1", "2"], series.Select(s => s.GetAttribute("data-trial")));
        Assert.Equal(3, series[0].QuerySelectorAll("circle.curve-point").Length);
        Assert.Single(series[1].QuerySelectorAll("circle.curve-point"));
        Assert.Contains("Trial 1", cut.Find(".curve-legend").TextContent);
        Assert.Contains("Trial 2", cut.Find(".curve-legend").TextContent);
    }

    [Fact]
    public async Task Switching_to_train_loss_plots_losses_instead_of_accuracy()
    {
        var state = new SearchLiveState(RecordedSearch.SearchId);
        foreach (var searchEvent in RecordedSearch.Events) state.Apply(searchEvent);
        var cut = Render<LearningCurves>(p => p.Add(c => c.Trials, state.Trials).Add(c => c.MaxEpochs, 3));
        Assert.Contains("100%", cut.Find("svg.learning-curves").TextContent);

        await cut.Find("button.curve-metric-TrainLoss").ClickAsync(new MouseEventArgs());

        Assert.DoesNotContain("100%", cut.Find("svg.learning-curves").TextContent);
        Assert.Contains("Trial 1, epoch 1: 1.05", cut.Find("svg.learning-curves").TextContent);
        Assert.Equal(4, cut.FindAll("circle.curve-point").Count);
    }

    [Fact]
    public async Task Diverged_epochs_with_nan_loss_are_left_out_of_the_curve()
    {
        var state = new SearchLiveState(RecordedSearch.SearchId);
        state.Apply(new EpochCompleted(RecordedSearch.SearchId, RecordedSearch.Trial1, 1, 1, double.NaN, double.NaN, 0.1, 1));
        var cut = Render<LearningCurves>(p => p.Add(c => c.Trials, state.Trials));

        await cut.Find("button.curve-metric-ValLoss").ClickAsync(new MouseEventArgs());

        Assert.Empty(cut.FindAll("circle.curve-point"));
        Assert.DoesNotContain("NaN", cut.Markup);
    }
}
