using AutoMLStudio.Web.Components.Shared;

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
}
