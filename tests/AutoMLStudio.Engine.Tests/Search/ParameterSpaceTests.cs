using System.Text.Json;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Engine.Tests.Search;

public sealed class ParameterSpaceTests
{
    private static readonly ParameterSpace Space = new(
        ParameterDimension.FloatRange("dropout", 0, 0.5),
        ParameterDimension.FloatRange("learningRate", 1e-5, 1e-1, log: true),
        ParameterDimension.IntRange("width", 8, 512, log: true),
        ParameterDimension.IntRange("layers", 1, 4),
        ParameterDimension.Categorical("optimizer", "adam", "sgd", "rmsprop"));

    [Fact]
    public void Samples_stay_within_bounds_and_integers_are_whole()
    {
        var rng = new Random(1);
        for (var i = 0; i < 2000; i++)
        {
            var p = Space.Sample(rng);

            Assert.True(Space.Contains(p), p.ToString());
            Assert.Equal(Math.Round(p.GetDouble("width")), p.GetDouble("width"));
        }
    }

    [Fact]
    public void Samples_reach_both_ends_of_integer_ranges_and_every_choice()
    {
        var rng = new Random(2);
        var samples = Enumerable.Range(0, 2000).Select(_ => Space.Sample(rng)).ToArray();

        Assert.Equal([1, 2, 3, 4], samples.Select(p => p.GetInt("layers")).Distinct().Order());
        Assert.Contains(samples, p => p.GetInt("width") == 8);
        Assert.InRange(samples.Max(p => p.GetInt("width")), 400, 512); // log-uniform: 512 itself has a 1-in-2000 chance
        Assert.Equal(3, samples.Select(p => p.GetString("optimizer")).Distinct().Count());
    }

    [Fact]
    public void Log_uniform_samples_have_their_median_near_the_geometric_mean()
    {
        var rng = new Random(3);
        var values = Enumerable.Range(0, 4001).Select(_ => Space.Sample(rng).GetDouble("learningRate")).Order().ToArray();

        var median = values[values.Length / 2];

        // Geometric mean of 1e-5 and 1e-1 is 1e-3; a plain uniform draw would put the median near 5e-2.
        Assert.InRange(Math.Log10(median), -3.15, -2.85);
        Assert.InRange(values.Count(v => v < 1e-4) / (double)values.Length, 0.22, 0.28);
    }

    [Fact]
    public void Parameter_set_round_trips_through_camelCase_engine_json_and_keeps_equality()
    {
        var p = Space.Sample(new Random(4));

        var json = JsonSerializer.Serialize(p, EngineJson.Options);
        var back = JsonSerializer.Deserialize<ParameterSet>(json, EngineJson.Options)!;

        Assert.StartsWith("{\"dropout\":", json);
        Assert.Contains("\"optimizer\":\"", json);
        Assert.Equal(p, back);
        Assert.Equal(p.GetHashCode(), back.GetHashCode());
        Assert.Equal(json, JsonSerializer.Serialize(back, EngineJson.Options));
    }

    [Fact]
    public void Parameter_sets_are_equal_whatever_the_order_of_their_names()
    {
        var a = new ParameterSet([new("x", 1), new("kind", "a")]);
        var b = new ParameterSet([new("kind", "a"), new("x", 1.0)]);

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b.With("x", 2));
    }

    [Fact]
    public void Neighbour_changes_at_least_one_dimension_and_stays_within_bounds()
    {
        var rng = new Random(5);
        for (var i = 0; i < 500; i++)
        {
            var parent = Space.Sample(rng);

            var child = Space.Neighbour(parent, rng, rate: 0.0);

            Assert.True(Space.Contains(child), child.ToString());
            Assert.NotEqual(parent, child);
        }
    }

    [Fact]
    public void Neighbour_with_rate_one_changes_every_dimension_that_can_change()
    {
        var space = new ParameterSpace(
            ParameterDimension.Categorical("a", "x", "y"),
            ParameterDimension.IntRange("b", 1, 2),
            ParameterDimension.IntRange("fixed", 3, 3));
        var parent = new ParameterSet([new("a", "x"), new("b", 1), new("fixed", 3)]);

        var child = space.Neighbour(parent, new Random(6), rate: 1.0);

        Assert.Equal(new ParameterSet([new("a", "y"), new("b", 2), new("fixed", 3)]), child);
    }

    [Fact]
    public void Space_rejects_repeated_names_and_log_ranges_that_reach_zero()
    {
        Assert.Throws<ArgumentException>(() => new ParameterSpace(ParameterDimension.IntRange("a", 1, 2), ParameterDimension.Categorical("a", "x")));
        Assert.Throws<ArgumentException>(() => ParameterDimension.FloatRange("lr", 0, 1, log: true));
    }
}
