using AutoMLStudio.Core.Searches;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Web.Components.Pages.Searches;
using AutoMLStudio.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace AutoMLStudio.Web.UiTests;

public sealed class TablesTests : BunitTest
{
    [Fact]
    public void Trial_table_shows_each_status_and_the_failed_trials_error()
    {
        var state = new SearchLiveState(RecordedSearch.SearchId);
        foreach (var searchEvent in RecordedSearch.Events) state.Apply(searchEvent);

        var cut = Render<TrialTable>(p => p.Add(c => c.Trials, state.Trials).Add(c => c.MaxEpochs, 3));

        var rows = cut.FindAll("tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("completed", rows[0].QuerySelector(".status-chip")!.TextContent);
        Assert.Contains("88.0%", rows[0].TextContent);
        Assert.Contains("12.3K", rows[0].TextContent);
        Assert.Contains("3 / 3", rows[0].TextContent);
        Assert.Contains("failed", rows[1].QuerySelector(".status-chip")!.TextContent);
        Assert.Equal("The loss became NaN: the learning rate is too high.", rows[1].QuerySelector(".trial-error")!.TextContent.Trim());
    }

    [Fact]
    public void Trial_duration_grows_with_each_recorded_epoch_and_latency_shows_once_measured()
    {
        var state = new SearchLiveState(RecordedSearch.SearchId);
        var cut = Render<TrialTable>(p => p.Add(c => c.Trials, state.Trials));

        var durations = new List<string>();
        foreach (var searchEvent in RecordedSearch.Events)
        {
            state.Apply(searchEvent);
            cut.Render();
            if (searchEvent is EpochCompleted { Number: 1 }) durations.Add(cut.Find("tbody tr .trial-duration").TextContent);
        }

        Assert.Equal(["1.2 s", "2.3 s", "3.4 s"], durations);
        Assert.Equal(["–", "–"], cut.FindAll(".trial-latency").Select(td => td.TextContent));
        state.Load([TrialView.From(new Trial { Number = 1, ConfigJson = "{}", LatencyMs = 0.4567 }),
            TrialView.From(new Trial { Number = 2, ConfigJson = "{}", LatencyMs = 37.2 })]);
        cut.Render();
        Assert.Equal(["0.46 ms", "37 ms"], cut.FindAll(".trial-latency").Select(td => td.TextContent));
        Assert.Equal(["Tick trials to compare them", "#", "Status", "Configuration", "Val accuracy", "Val loss", "Params", "FLOPs", "Latency", "Epochs", "Duration", "Device"],
            cut.FindAll("thead th").Select(th => th.TextContent.Trim()));
    }

    [Fact]
    public async Task Compare_opens_once_two_trials_are_ticked_and_links_to_the_ticked_trials()
    {
        var state = new SearchLiveState(RecordedSearch.SearchId);
        foreach (var searchEvent in RecordedSearch.Events) state.Apply(searchEvent);
        state.Apply(new TrialStarted(RecordedSearch.SearchId, Guid.NewGuid(), 3, "cpu"));
        var cut = Render<TrialTable>(p => p.Add(c => c.SearchId, RecordedSearch.SearchId).Add(c => c.Trials, state.Trials));
        var compare = () => cut.Find(".compare-trials");
        Assert.True(compare().HasAttribute("disabled"));
        Assert.Contains("Tick two or more trials", cut.Find(".compare-hint").TextContent);

        await cut.FindAll(".trial-select input")[2].ChangeAsync(new ChangeEventArgs { Value = true });
        Assert.True(compare().HasAttribute("disabled"));
        Assert.Equal("Compare (1)", compare().TextContent.Trim());

        await cut.FindAll(".trial-select input")[0].ChangeAsync(new ChangeEventArgs { Value = true });
        Assert.False(compare().HasAttribute("disabled"));
        Assert.Equal("Compare (2)", compare().TextContent.Trim());
        Assert.Equal($"/searches/{RecordedSearch.SearchId}/compare?trials=1,3", compare().GetAttribute("href"));
        Assert.Empty(cut.FindAll(".compare-hint"));

        await cut.FindAll(".trial-select input")[2].ChangeAsync(new ChangeEventArgs { Value = false });
        Assert.True(compare().HasAttribute("disabled"));
    }

    [Fact]
    public async Task Compared_settings_mark_differences_with_a_sign_and_can_hide_the_settings_that_are_equal()
    {
        var stage = new CellStage(16, [CellOps.Conv3], "max");
        var training = new TrainingSettings("adamw", 0.001, 0, 64, 3, "cosine");
        var trials = new[]
        {
            TrialComparisonTests.Trial(1, TrialComparisonTests.Cnn([stage], training)),
            TrialComparisonTests.Trial(2, TrialComparisonTests.Cnn([stage], training with { BatchSize = 128 })),
        };
        trials[0].LatencyMs = 1.5;
        trials[0].Epochs.AddRange([new EpochMetric { Epoch = 1, ValMetric = 0.7, Seconds = 2 }, new EpochMetric { Epoch = 2, ValMetric = 0.9, Seconds = 3 }]);
        trials[0].ValMetric = 0.9;
        var comparison = TrialComparison.Of(TrialComparisonTests.ImageSearch, trials);

        var cut = Render<ComparedSettingsTable>(p => p
            .Add(c => c.Trials, [.. trials.Select(TrialView.From)])
            .Add(c => c.Settings, comparison.Settings));

        var differing = Assert.Single(cut.FindAll("tr.differs"));
        Assert.Equal("Batch size", differing.GetAttribute("data-setting"));
        Assert.Equal("≠", differing.QuerySelector(".differs-marker")!.TextContent);
        Assert.Equal(["64", "128"], differing.QuerySelectorAll("td").Select(td => td.TextContent));
        Assert.Equal(["Trial 1", "Trial 2"], cut.FindAll("th.trial-column").Select(th => th.TextContent.Trim()));
        Assert.Equal(["90.0%", "–"], Row(cut, "Validation accuracy"));
        Assert.Equal(["2", "–"], Row(cut, "Best epoch"));
        Assert.Equal(["5.0 s", "–"], Row(cut, "Duration"));
        Assert.Equal(["1.5 ms", "–"], Row(cut, "Latency"));
        Assert.Contains($"1 of {comparison.Settings.Count} settings differ", cut.Find(".differs-count").TextContent);

        await cut.Find(".only-differences input").ChangeAsync(new ChangeEventArgs { Value = true });

        Assert.Equal(["Batch size"], cut.FindAll("tr.setting-row").Select(tr => tr.GetAttribute("data-setting")));
        Assert.Equal(["Status", "Validation accuracy"], cut.FindAll("tr.result-row").Take(2).Select(tr => tr.QuerySelector("th")!.TextContent));
    }

    private static IEnumerable<string> Row(IRenderedComponent<ComparedSettingsTable> cut, string name) =>
        cut.Find($"tr[data-setting='{name}']").QuerySelectorAll("td").Select(td => td.TextContent);

    [Fact]
    public void Confusion_matrix_puts_counts_under_class_headers()
    {
        var cut = Render<ConfusionMatrixView>(p => p
            .Add(c => c.Classes, ["cat", "dog"])
            .Add(c => c.Matrix, [[7, 1], [2, 9]]));

        Assert.Equal(["cat", "dog"], cut.FindAll("thead th.class-header").Select(h => h.TextContent));
        var rows = cut.FindAll("tbody tr");
        Assert.Equal("cat", rows[0].QuerySelector("th")!.TextContent);
        Assert.Equal(["7", "1"], rows[0].QuerySelectorAll("td").Select(td => td.TextContent));
        Assert.Equal(["2", "9"], rows[1].QuerySelectorAll("td").Select(td => td.TextContent));
        Assert.Equal(["7", "9"], cut.FindAll("td.diagonal").Select(td => td.TextContent));
    }

    [Fact]
    public void Class_counts_list_each_class_with_its_count_and_the_total()
    {
        var cut = Render<ClassCounts>(p => p.Add(c => c.Classes, [("blue", 25), ("green", 10)]));

        var rows = cut.FindAll("tbody tr");
        Assert.Equal("blue", rows[0].QuerySelector(".class-name")!.TextContent);
        Assert.Equal("25", rows[0].QuerySelector(".num")!.TextContent);
        Assert.Contains("width:100%", rows[0].QuerySelector(".count-bar")!.GetAttribute("style"));
        Assert.Contains("width:40%", rows[1].QuerySelector(".count-bar")!.GetAttribute("style"));
        Assert.Contains("35", cut.Find("tfoot").TextContent);
    }

    [Fact]
    public void A_big_search_pages_its_trials_fifty_at_a_time_and_a_small_one_shows_all_without_a_pager()
    {
        static List<TrialView> Trials(int count) =>
            [.. Enumerable.Range(1, count).Select(n => new TrialView { Id = Guid.NewGuid(), Number = n, Status = "completed", Params = 1000 + n })];

        var big = Render<TrialTable>(p => p.Add(c => c.Trials, Trials(120)));
        Assert.Equal(50, big.FindAll("tbody tr").Count);
        Assert.Contains("1-50 of 120", big.Find(".trial-pager").TextContent);

        var small = Render<TrialTable>(p => p.Add(c => c.Trials, Trials(12)));
        Assert.Equal(12, small.FindAll("tbody tr").Count);
        Assert.Empty(small.FindAll(".trial-pager"));
    }
}
