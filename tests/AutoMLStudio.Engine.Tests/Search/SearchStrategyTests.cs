using System.Text.Json;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Engine.Tests.Search;

public sealed class SearchStrategyTests
{
    private static readonly SearchSpaceContext Context = new(1, 28, 10, [0.3f], [0.3f], 4);

    private static string Json(TrialConfig config) => JsonSerializer.Serialize(config, EngineJson.Options);

    [Fact]
    public void RandomSearch_replays_the_same_configs_for_the_same_seed_in_any_order()
    {
        var first = new RandomSearch(Context, seed: 11);
        var replay = new RandomSearch(Context, seed: 11);

        var forward = Enumerable.Range(0, 10).Select(n => Json(first.Ask(n))).ToList();
        first.Tell(new TrialObservation(0, first.Ask(0), 0.5));
        var backward = Enumerable.Range(0, 10).Reverse().Select(n => Json(replay.Ask(n))).Reverse().ToList();

        Assert.Equal(forward, backward);
        Assert.Equal(forward[3], Json(first.Ask(3)));
        Assert.True(forward.Distinct().Count() > 5, "different trial numbers should give different configs");
    }

    [Fact]
    public void RandomSearch_with_another_seed_proposes_other_configs()
    {
        var a = new RandomSearch(Context, seed: 1);
        var b = new RandomSearch(Context, seed: 2);

        Assert.NotEqual(Enumerable.Range(0, 5).Select(n => Json(a.Ask(n))), Enumerable.Range(0, 5).Select(n => Json(b.Ask(n))));
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("random")]
    [InlineData("Random")]
    public void Create_gives_random_search_for_auto_and_random(string algorithm)
    {
        Assert.IsType<RandomSearch>(SearchStrategies.Create(algorithm, Context, 1));
    }

    [Fact]
    public void Create_with_an_unknown_name_throws_a_message_listing_valid_names()
    {
        var error = Assert.Throws<ArgumentException>(() => SearchStrategies.Create("nope", Context, 1));

        Assert.Contains("'nope'", error.Message);
        Assert.Contains("auto, random", error.Message);
    }
}
