using AutoMLStudio.Core.Searches;
using AutoMLStudio.Engine.Metrics;
using AutoMLStudio.Web.Components.Shared;
using Microsoft.AspNetCore.Components.Web;

namespace AutoMLStudio.Web.UiTests;

public sealed class ParetoScatterTests : BunitTest
{
    private static TrialView Trial(int number, double accuracy, long parameters, double latencyMs, string status = "completed") =>
        new() { Id = Guid.NewGuid(), Number = number, Status = status, ValAccuracy = accuracy, Params = parameters, LatencyMs = latencyMs, Flops = parameters * 20 };

    private static readonly TrialView[] Trials =
    [
        Trial(1, 0.80, 12_000, 0.9),
        Trial(2, 0.90, 60_000, 0.5),
        Trial(3, 0.85, 90_000, 2.0),
        Trial(4, 0.95, 240_000, 3.0),
        Trial(5, 0.99, 5_000, 0.1, status: "running"),
    ];

    [Fact]
    public void Plots_completed_trials_against_parameters_and_highlights_the_front_by_size()
    {
        var cut = Render<ParetoScatter>(p => p.Add(c => c.Trials, Trials).Add(c => c.TradeOff, "params"));

        Assert.Equal(["1", "2", "3", "4"], cut.FindAll("circle.pareto-point").Select(c => c.GetAttribute("data-trial")).Order());
        Assert.Equal(["1", "2", "4"], cut.FindAll("circle.on-front").Select(c => c.GetAttribute("data-trial")).Order());
        Assert.Equal(3, cut.Find("polyline.pareto-line").GetAttribute("points")!.Split(' ').Length);
        Assert.Contains("parameters (log scale)", cut.Find("svg.pareto-scatter").TextContent);
        Assert.Equal(["10K", "20K", "50K", "100K", "200K", "500K"], cut.FindAll("g.x-tick").Select(t => t.TextContent));
        Assert.Contains("Trial 3: 85.0% at 90K", cut.Find("svg.pareto-scatter").TextContent);
        Assert.Contains("On the Pareto front (3)", cut.Find(".curve-legend").TextContent);
    }

    [Fact]
    public void Against_latency_the_front_is_the_fast_and_accurate_trials()
    {
        var cut = Render<ParetoScatter>(p => p.Add(c => c.Trials, Trials).Add(c => c.TradeOff, "latency"));

        Assert.Equal(["2", "4"], cut.FindAll("circle.on-front").Select(c => c.GetAttribute("data-trial")).Order());
        Assert.Contains("latency (ms)", cut.Find("svg.pareto-scatter").TextContent);
        Assert.Contains("Trial 2: 90.0% at 0.5 ms (on the front)", cut.Find("svg.pareto-scatter").TextContent);
    }

    [Fact]
    public void For_a_cost_search_the_axis_names_the_cost_and_the_front_is_the_cheap_and_small_trials()
    {
        var cut = Render<ParetoScatter>(p => p.Add(c => c.Trials, Trials).Add(c => c.TradeOff, "params").Add(c => c.Metric, MetricCatalog.Cost));

        Assert.Equal("Validation cost per item (lower is better) against parameters", cut.Find(".pareto-title").TextContent);
        Assert.Equal(["1"], cut.FindAll("circle.on-front").Select(c => c.GetAttribute("data-trial")));
        Assert.Contains("Trial 3: 0.85 at 90K", cut.Find("svg.pareto-scatter").TextContent);
        Assert.DoesNotContain(cut.FindAll("g.y-tick"), t => t.TextContent.Contains('%'));
    }

    [Fact]
    public void Without_completed_trials_it_says_they_will_appear()
    {
        var cut = Render<ParetoScatter>(p => p.Add(c => c.Trials, [Trials[4]]).Add(c => c.TradeOff, "params"));

        Assert.Empty(cut.FindAll("circle.pareto-point"));
        Assert.Contains("No completed trials yet", cut.Find(".pareto-empty").TextContent);
    }

    [Fact]
    public async Task Any_search_can_switch_the_x_axis_and_each_axis_draws_its_own_limit()
    {
        var limits = new ConstraintsRequest(MaxParams: 300_000, MaxFlops: 5_000_000, MaxLatencyMs: null);
        var cut = Render<ParetoScatter>(p => p.Add(c => c.Trials, Trials).Add(c => c.Limits, limits));

        Assert.Contains("parameters (log scale)", cut.Find("svg.pareto-scatter").TextContent);
        Assert.Equal("limit 300K", cut.Find("g.scatter-limit .limit-label").TextContent);
        Assert.Contains("The search's limit: 300K parameters", cut.Find(".scatter-limit-legend").TextContent);

        await cut.Find("button.scatter-axis-flops").ClickAsync(new MouseEventArgs());

        Assert.Equal("Validation accuracy (higher is better) against FLOPs", cut.Find(".pareto-title").TextContent);
        Assert.Contains("FLOPs (log scale)", cut.Find("svg.pareto-scatter").TextContent);
        Assert.Equal("limit 5M", cut.Find("g.scatter-limit .limit-label").TextContent);
        Assert.Contains("Trial 3: 85.0% at 1.8M", cut.Find("svg.pareto-scatter").TextContent);
        var limitX = double.Parse(cut.Find("line.limit-line").GetAttribute("x1")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.All(cut.FindAll("circle.pareto-point"), c => Assert.True(double.Parse(c.GetAttribute("cx")!, System.Globalization.CultureInfo.InvariantCulture) < limitX));

        await cut.Find("button.scatter-axis-latency").ClickAsync(new MouseEventArgs());

        Assert.Contains("latency (ms) (log scale)", cut.Find("svg.pareto-scatter").TextContent);
        Assert.Empty(cut.FindAll("g.scatter-limit"));
        Assert.Equal(["2", "4"], cut.FindAll("circle.on-front").Select(c => c.GetAttribute("data-trial")).Order());
    }

    [Fact]
    public void Trials_at_the_same_spot_are_drawn_side_by_side_and_their_tooltip_counts_them()
    {
        TrialView[] trials = [.. Trials, Trial(6, 0.85, 90_000, 2.0), Trial(7, 0.85, 90_000, 2.0)];

        var cut = Render<ParetoScatter>(p => p.Add(c => c.Trials, trials));

        var spot = cut.FindAll("circle.pareto-point").Where(c => c.GetAttribute("data-trial") is "3" or "6" or "7").ToList();
        Assert.Equal(3, spot.Select(c => c.GetAttribute("cx")).Distinct().Count());
        Assert.Single(spot.Select(c => c.GetAttribute("cy")).Distinct());
        Assert.All(spot, c => Assert.EndsWith("· 3 trials at this spot: 3, 6, 7", c.TextContent));
    }

    [Fact]
    public void A_limit_far_beyond_every_trial_is_named_rather_than_squashing_them_into_a_corner()
    {
        var cut = Render<ParetoScatter>(p => p.Add(c => c.Trials, Trials).Add(c => c.Limits, new ConstraintsRequest(1_000_000_000, null, null)));

        Assert.Empty(cut.FindAll("line.limit-line"));
        Assert.Contains("The search's limit, 1G parameters, lies far beyond these trials", cut.Find(".scatter-limit-legend").TextContent);
        Assert.Equal("500K", cut.FindAll("g.x-tick").Last().TextContent);
    }
}
