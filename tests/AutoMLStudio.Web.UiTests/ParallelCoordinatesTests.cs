using AutoMLStudio.Core.Searches;
using AutoMLStudio.Engine.Learners;
using AutoMLStudio.Engine.Metrics;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Text;
using AutoMLStudio.Engine.Training;
using AutoMLStudio.Web.Components.Shared;

namespace AutoMLStudio.Web.UiTests;

public sealed class ParallelCoordinatesTests : BunitTest
{
    private IRenderedComponent<ParallelCoordinates> Render(SearchLiveState state, MetricDefinition? metric = null) =>
        Render<ParallelCoordinates>(p => p.Add(c => c.Space, new SearchSpaceView(RecordedTabularSearch.Space)).Add(c => c.Trials, state.Trials)
            .Add(c => c.Metric, metric ?? MetricCatalog.Accuracy));

    [Fact]
    public void Draws_one_axis_per_parameter_then_the_metric_and_one_line_per_completed_trial_with_the_best_highlighted()
    {
        var state = RecordedTabularSearch.State();

        var cut = Render(state);

        var axes = cut.FindAll("g.pc-axis").Select(a => a.GetAttribute("data-parameter")).ToList();
        Assert.Equal([.. RecordedTabularSearch.Space.Dimensions.Select(d => d.Name), "metric"], axes);
        var lines = cut.FindAll("polyline.pc-line");
        Assert.Equal(["1", "2", "3", "4", "5", "6", "7", "8"], lines.Select(l => l.GetAttribute("data-trial")).Order());
        Assert.All(lines, l => Assert.Equal(axes.Count, l.GetAttribute("points")!.Split(' ').Length));
        var best = state.Trials.Where(t => t.Status == "completed").MaxBy(t => t.ValAccuracy)!;
        Assert.Equal(best.Number.ToString(), cut.Find("polyline.pc-line.best").GetAttribute("data-trial"));
        Assert.Contains($"Trial {best.Number}: {Formats.Percent(best.ValAccuracy)} (best)", cut.Find("polyline.pc-line.best").TextContent);
        Assert.Contains($"Best: trial {best.Number}", cut.Find(".pc-best-legend").TextContent);
    }

    [Fact]
    public void Over_several_learners_a_line_passes_only_through_its_own_learners_axes()
    {
        // The other learners' values of a trial are filled in; drawn, they would bundle every line at one made-up value.
        var profile = new DataProfile(PredictionTask.Classification, 2, 1, Plan: new TabularPreprocessingPlan([], [], [], null), Tokenizer: new TextTokenizer(["a"]));
        var space = new LearnerChoice([new TabularMlpLearner(), new TextLearner()], profile).Space;
        var rng = new Random(1);
        string[] learners = ["mlp", "text", "mlp"];
        var trials = learners.Select((learner, i) => new TrialView
        {
            Id = Guid.NewGuid(), Number = i + 1, Status = "completed", ValAccuracy = 0.5 + i * 0.1,
            Parameters = new TrialPoint(space.Sample(rng).With(LearnerChoice.Dimension, learner)),
        }).ToList();

        var cut = Render<ParallelCoordinates>(p => p.Add(c => c.Space, new SearchSpaceView(space)).Add(c => c.Trials, trials)
            .Add(c => c.Metric, MetricCatalog.Accuracy));

        var axes = cut.FindAll("g.pc-axis").Select(a => a.GetAttribute("data-parameter")).ToList();
        Assert.Equal([.. space.Dimensions.Select(d => d.Name), "metric"], axes);
        var xs = cut.FindAll("g.pc-axis line.axis").Select((a, i) => (Axis: axes[i], X: a.GetAttribute("x1"))).ToList();
        foreach (var line in cut.FindAll("polyline.pc-line"))
        {
            var learner = learners[int.Parse(line.GetAttribute("data-trial")!) - 1];
            var crossed = line.GetAttribute("points")!.Split(' ').Select(p => xs.First(x => x.X == p.Split(',')[0]).Axis).ToList();
            Assert.Equal([LearnerChoice.Dimension, .. space.Dimensions.Where(d => d.Name.StartsWith(learner + ".", StringComparison.Ordinal)).Select(d => d.Name), "metric"],
                crossed);
        }
    }

    [Fact]
    public void Categorical_axes_list_their_choices_and_log_axes_say_so()
    {
        var cut = Render(RecordedTabularSearch.State());

        var width = cut.Find("g.pc-axis[data-parameter=hiddenWidth]");
        Assert.Equal(["256", "128", "64", "32"], width.QuerySelectorAll("g.pc-tick").Select(t => t.TextContent).Reverse());
        Assert.Contains("hidden width", width.TextContent);
        var learningRate = cut.Find("g.pc-axis[data-parameter=learningRate]");
        Assert.Equal(["1e-4", "0.001", "0.01"], learningRate.QuerySelectorAll("g.pc-tick").Select(t => t.TextContent));
        Assert.Contains("log", learningRate.TextContent);
        Assert.DoesNotContain("log", cut.Find("g.pc-axis[data-parameter=dropout]").TextContent);
    }

    [Fact]
    public void A_trial_completing_adds_its_line_and_trials_from_an_older_space_are_left_out_and_counted()
    {
        var state = RecordedTabularSearch.State();
        var cut = Render(state);

        state.Apply(RecordedTabularSearch.Completion(state, 9));
        state.Apply(new AutoMLStudio.Core.Searches.TrialCompleted(RecordedTabularSearch.SearchId, Guid.NewGuid(), 11, "completed", 0.5, 1_000, null));
        cut.Render();

        Assert.Equal(9, cut.FindAll("polyline.pc-line").Count);
        Assert.Contains("1 completed trial is left out", cut.Find(".pc-left-out").TextContent);
    }

    [Fact]
    public void For_a_cost_the_lowest_trial_is_best_and_sits_at_the_top_of_the_metric_axis()
    {
        var state = RecordedTabularSearch.State();
        foreach (var trial in state.Trials.Where(t => t.ValAccuracy is not null)) trial.ValAccuracy = 1 - trial.ValAccuracy;

        var cut = Render(state, MetricCatalog.Cost);

        var cheapest = state.Trials.Where(t => t.Status == "completed").MinBy(t => t.ValAccuracy)!;
        Assert.Equal(cheapest.Number.ToString(), cut.Find("polyline.pc-line.best").GetAttribute("data-trial"));
        var metricTicks = cut.Find("g.pc-axis[data-parameter=metric]").QuerySelectorAll("g.pc-tick").ToList();
        var top = metricTicks.MinBy(t => double.Parse(t.QuerySelector("text")!.GetAttribute("y")!, System.Globalization.CultureInfo.InvariantCulture))!;
        Assert.Equal(Formats.Metric(cheapest.ValAccuracy, MetricCatalog.Cost), top.TextContent);
    }

    [Fact]
    public void Without_completed_trials_it_says_they_will_appear()
    {
        var cut = Render(RecordedTabularSearch.State(completed: 0));

        Assert.Empty(cut.FindAll("polyline.pc-line"));
        Assert.Contains("No completed trials yet", cut.Find(".parallel-empty").TextContent);
    }

    [Fact]
    public void The_trial_the_search_chose_as_best_is_the_one_highlighted()
    {
        var state = RecordedTabularSearch.State();
        var chosen = state.Trials.Where(t => t.Status == "completed").MinBy(t => t.ValAccuracy)!;

        var cut = Render<ParallelCoordinates>(p => p.Add(c => c.Space, new SearchSpaceView(RecordedTabularSearch.Space)).Add(c => c.Trials, state.Trials)
            .Add(c => c.BestTrialId, chosen.Id));

        Assert.Equal(chosen.Number.ToString(), cut.Find("polyline.pc-line.best").GetAttribute("data-trial"));
        Assert.Single(cut.FindAll("polyline.pc-line.best"));
        Assert.Equal(8, cut.FindAll("polyline.pc-line").Count);
    }
}
