using AutoMLStudio.Core.Searches;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Web.Components.Shared;

namespace AutoMLStudio.Web.UiTests;

public sealed class ImportanceBarsTests : BunitTest
{
    // The forest is fitted off the render thread; on a busy machine that takes longer than bUnit's one-second default.
    private static readonly TimeSpan Estimated = TimeSpan.FromSeconds(15);

    private IRenderedComponent<ImportanceBars> Render(SearchLiveState state) =>
        Render<ImportanceBars>(p => p.Add(c => c.Space, new SearchSpaceView(RecordedTabularSearch.Space)).Add(c => c.Trials, state.Trials));

    [Fact]
    public void Ranks_the_setting_that_drove_accuracy_first_and_says_in_one_sentence_how_to_read_the_bars()
    {
        var cut = Render(RecordedTabularSearch.State());

        cut.WaitForAssertion(() => Assert.Equal(RecordedTabularSearch.Space.Dimensions.Count, cut.FindAll("g.importance-bar").Count), Estimated);
        var bars = cut.FindAll("g.importance-bar");
        Assert.Equal("learningRate", bars[0].GetAttribute("data-parameter"));
        var shares = bars.Select(b => double.Parse(b.GetAttribute("data-share")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(shares.OrderDescending(), shares);
        Assert.Contains("learning rate", bars[0].TextContent);
        Assert.Equal("A long bar means changing this setting alone moved validation accuracy most across the 8 trials tried; it describes this search, not a law.",
            cut.Find(".importance-how-to-read").TextContent.Trim());
        Assert.Contains("random forest", cut.Find(".importance-method").TextContent);
    }

    [Fact]
    public void Below_five_completed_trials_it_says_how_many_it_needs_and_estimates_once_the_fifth_completes()
    {
        var state = RecordedTabularSearch.State(completed: 4);
        var cut = Render(state);

        cut.WaitForAssertion(() => Assert.Equal("Needs at least 5 completed trials; 4 so far.", cut.Find(".importance-needs").TextContent), Estimated);
        Assert.Empty(cut.FindAll("g.importance-bar"));

        state.Apply(RecordedTabularSearch.Completion(state, 5));
        cut.Render();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("g.importance-bar")), Estimated);
        Assert.Contains("across the 5 trials tried", cut.Find(".importance-how-to-read").TextContent);
    }

    [Fact]
    public void When_every_trial_scored_the_same_there_is_nothing_to_explain()
    {
        var state = RecordedTabularSearch.State();
        foreach (var trial in state.Trials.Where(t => t.ValAccuracy is not null)) trial.ValAccuracy = 0.5;

        var cut = Render(state);

        cut.WaitForAssertion(() => Assert.Contains("All 8 completed trials reached the same validation accuracy", cut.Find(".importance-constant").TextContent), Estimated);
        Assert.DoesNotContain("NaN", cut.Markup);
    }

    [Fact]
    public void With_the_twenty_odd_settings_of_the_image_space_it_shows_the_top_twelve_and_the_rest_on_request()
    {
        var space = CnnParameterSpace.Create(new SearchSpaceContext(1, 28, 10, [0.3f], [0.3f], 5));
        var rng = new Random(2);
        var trials = Enumerable.Range(1, 30).Select(n => space.Sample(rng)).Select((p, i) => new TrialView
        {
            Id = Guid.NewGuid(), Number = i + 1, Status = "completed", Parameters = new TrialPoint(p),
            ValAccuracy = p.GetString("optimizer") == "sgd" ? 0.6 : 0.9,
        }).ToList();

        var cut = Render<ImportanceBars>(p => p.Add(c => c.Space, new SearchSpaceView(space)).Add(c => c.Trials, trials));

        cut.WaitForAssertion(() => Assert.Equal(12, cut.FindAll("g.importance-bar").Count), Estimated);
        Assert.Equal("optimizer", cut.FindAll("g.importance-bar")[0].GetAttribute("data-parameter"));
        Assert.Contains("With 30 trials for 23 settings, read it as a rough hint.", cut.Find(".importance-method").TextContent);

        cut.Find("button.importance-show-all").Click();

        // MudButton runs its click handler asynchronously, so the re-render can land after Click returns.
        cut.WaitForAssertion(() => Assert.Equal(space.Dimensions.Count, cut.FindAll("g.importance-bar").Count), Estimated);
        Assert.Contains("Show the top 12", cut.Find("button.importance-show-all").TextContent);
    }
}
