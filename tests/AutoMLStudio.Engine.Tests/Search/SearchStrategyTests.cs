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
        first.Tell(new Observation<TrialConfig>(0, first.Ask(0), 0.5));
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
    [InlineData("random")]
    [InlineData(" Random ")]
    public void Random_image_search_keeps_the_sampler_that_stored_searches_were_proposed_with(string algorithm)
    {
        var strategy = SearchStrategies.Create(algorithm, Context, seed: 11, budget: 40);

        // A search stored before the flat spaces drew trial n from Random(Seeds.Combine(seed, n)) over the CNN space;
        // restarted, it must propose the same networks, whatever it was told.
        strategy.Tell(new Observation<TrialConfig>(1, strategy.Ask(1), 0.9));
        Assert.All(Enumerable.Range(1, 8), n =>
            Assert.Equal(Json(CnnSearchSpace.Sample(new Random(Seeds.Combine(11, n)), Context)), Json(strategy.Ask(n))));
    }

    [Fact]
    public void Auto_is_tpe_for_image_networks_and_for_flat_spaces_alike()
    {
        var space = new ParameterSpace(ParameterDimension.FloatRange("x", 0, 1));
        var images = SearchStrategies.Create("auto", Context, seed: 3, budget: 30);
        var tpe = SearchStrategies.Create("tpe", Context, seed: 3, budget: 30);

        Assert.Equal("tpe", SearchStrategies.Resolve(" AUTO "));
        Assert.Equal("tpe", images.Name);
        Assert.Equal("tpe", SearchStrategies.Create("auto", space, seed: 3, budget: 30).Name);
        Assert.Equal(Enumerable.Range(1, 12).Select(n => Json(tpe.Ask(n))), Enumerable.Range(1, 12).Select(n => Json(images.Ask(n))));
    }

    [Fact]
    public void Nac_builds_networks_so_a_flat_space_refuses_it_and_names_what_it_takes()
    {
        var space = new ParameterSpace(ParameterDimension.FloatRange("x", 0, 1));

        Assert.IsType<NacSearch>(SearchStrategies.Create("nac", Context, seed: 1, budget: 6));
        var error = Assert.Throws<ArgumentException>(() => SearchStrategies.Create("nac", space, seed: 1, budget: 6));
        Assert.Contains("'nac'", error.Message);
        Assert.Contains("auto, random, tpe, evolution.", error.Message);
    }

    [Fact]
    public void Create_with_an_unknown_name_throws_a_message_listing_valid_names()
    {
        var error = Assert.Throws<ArgumentException>(() => SearchStrategies.Create("nope", Context, 1));

        Assert.Contains("'nope'", error.Message);
        Assert.Contains("auto, random, tpe, evolution, nac", error.Message);
    }
}
