using AutoMLStudio.Core.Searches;
using AutoMLStudio.Web.Components.Shared;

namespace AutoMLStudio.Web.UiTests;

public sealed class SearchLiveStateTests
{
    [Fact]
    public void A_repeated_epoch_event_replaces_the_point_instead_of_adding_one()
    {
        var state = new SearchLiveState(RecordedSearch.SearchId);
        var epoch = new EpochCompleted(RecordedSearch.SearchId, RecordedSearch.Trial1, 1, 1, 1.0, 0.9, 0.5, 1);

        state.Apply(epoch);
        state.Apply(epoch with { ValMetric = 0.6 });

        var trial = Assert.Single(state.Trials);
        Assert.Equal(0.6, Assert.Single(trial.Epochs).ValAccuracy);
    }

    [Fact]
    public void For_a_cost_search_a_trials_best_value_is_its_lowest_cost()
    {
        var state = new SearchLiveState(RecordedSearch.SearchId) { Metric = AutoMLStudio.Engine.Metrics.MetricCatalog.Cost };
        var first = new EpochCompleted(RecordedSearch.SearchId, RecordedSearch.Trial1, 1, 1, 1.0, 0.9, 2.5, 1);

        state.Apply(first);
        state.Apply(first with { Epoch = 2, ValMetric = 0.8, ValLoss = 0.7 });
        state.Apply(first with { Epoch = 3, ValMetric = 1.9 });

        Assert.Equal((0.8, 0.7), (state.Trials[0].ValAccuracy, state.Trials[0].ValLoss));
    }

    [Fact]
    public void Events_of_another_search_are_ignored()
    {
        var state = new SearchLiveState(RecordedSearch.SearchId);

        var applied = state.Apply(new TrialStarted(Guid.NewGuid(), Guid.NewGuid(), 1, "cpu"));

        Assert.False(applied);
        Assert.Empty(state.Trials);
    }

    [Fact]
    public void Trial_completion_records_status_and_error()
    {
        var state = new SearchLiveState(RecordedSearch.SearchId);
        foreach (var searchEvent in RecordedSearch.Events) state.Apply(searchEvent);

        Assert.Equal(["completed", "failed"], state.Trials.Select(t => t.Status));
        Assert.Equal(0.88, state.Trials[0].ValAccuracy);
        Assert.Contains("NaN", state.Trials[1].Error);
    }
}
