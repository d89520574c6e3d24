using AutoMLStudio.Engine.Search;

namespace AutoMLStudio.Engine.Tests.Search;

public sealed class ParetoFrontTests
{
    private sealed record Point(string Name, double Metric, double Cost);

    private static List<string> Front(params Point[] points) => [.. ParetoFront.Of(points, p => p.Metric, p => p.Cost).Select(p => p.Name)];

    [Fact]
    public void Dominated_points_are_left_out_and_the_front_is_sorted_by_cost()
    {
        Assert.Equal(["small", "middle", "large"], Front(
            new("large", 0.95, 100_000),
            new("worse and larger", 0.90, 120_000),
            new("small", 0.80, 10_000),
            new("middle", 0.90, 50_000),
            new("same cost, lower metric", 0.85, 50_000)));
    }

    [Fact]
    public void Equal_points_are_both_on_the_front_and_a_tie_on_one_objective_is_decided_by_the_other()
    {
        Assert.Equal(["a", "b"], Front(new("a", 0.9, 10), new("b", 0.9, 10)));
        Assert.Equal(["cheaper"], Front(new("dearer", 0.9, 20), new("cheaper", 0.9, 10)));
    }

    [Fact]
    public void A_single_point_is_the_front_and_no_points_give_an_empty_front()
    {
        Assert.Equal(["only"], Front(new Point("only", 0.5, 1)));
        Assert.Empty(Front());
    }

    [Fact]
    public void Scalarising_with_weight_one_keeps_the_metric_order_and_with_weight_zero_the_cost_order()
    {
        (double, double)[] points = [(0.9, 100_000), (0.8, 1_000), (0.85, 10_000)];

        var metricOnly = ParetoFront.Scalarise(points, 1);
        var costOnly = ParetoFront.Scalarise(points, 0);

        Assert.Equal([1.0, 0.0, 0.5], metricOnly.Select(v => Math.Round(v, 6)));
        Assert.Equal([-1.0, 0.0, -0.5], costOnly.Select(v => Math.Round(v, 6)));
        Assert.Equal([0.0], ParetoFront.Scalarise([(0.7, 5)], 0.3));
    }
}
