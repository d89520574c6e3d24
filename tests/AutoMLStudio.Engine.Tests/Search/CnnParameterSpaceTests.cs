using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Engine.Tests.Search;

public sealed class CnnParameterSpaceTests
{
    private static readonly SearchSpaceContext[] Contexts =
    [
        new(1, 28, 10, [0.28f], [0.35f], 5),
        new(3, 64, 4, [0.5f, 0.4f, 0.3f], [0.2f, 0.2f, 0.2f], 3),
        new(1, 16, 2, [0.5f], [0.25f], 1),
    ];

    [Fact]
    public void Decoded_points_stay_inside_the_ranges_of_the_cnn_search_space()
    {
        var rng = new Random(1);
        foreach (var context in Contexts)
        {
            var space = CnnParameterSpace.Create(context);
            for (var i = 0; i < 300; i++)
            {
                var p = i % 2 == 0 ? space.Sample(rng) : space.Neighbour(space.Sample(rng), rng, 0.3);
                var config = CnnParameterSpace.Decode(p, context);
                var (a, t) = (config.Architecture, config.Training);

                Assert.InRange(a.Stages.Count, CnnParameterSpace.MinStages(context.InputSize), 3);
                Assert.Single(a.Stages.Select(stage => string.Join(",", stage.Ops)).Distinct());
                Assert.InRange(a.FeatureMap().Size, 1, CnnSearchSpace.MaxFinalFeatureSize);
                Assert.All(a.Stages.Zip(a.Stages.Skip(1)), pair => Assert.True(pair.Second.Width >= pair.First.Width));
                Assert.Contains(a.DenseUnits, new[] { 0, 32, 64, 128 });
                Assert.InRange(a.Dropout, 0, 0.5);
                Assert.Equal(a.Dropout, Math.Round(a.Dropout / 0.05) * 0.05, 9);
                Assert.Equal(context.MaxEpochs, t.Epochs);
                if (t.Optimizer == "sgd") Assert.InRange(t.LearningRate, 1e-2, 1e-1 * (1 + 1e-12));
                else Assert.InRange(t.LearningRate, 3e-4, 3e-3 * (1 + 1e-12));
                Assert.True(t.WeightDecay == 0 || t.WeightDecay is >= 1e-5 and <= 1e-2);
            }
        }
    }

    [Fact]
    public void Encoding_a_sampled_cnn_config_gives_a_point_of_the_space_that_decodes_back_to_it()
    {
        var rng = new Random(2);
        foreach (var context in Contexts)
        {
            var space = CnnParameterSpace.Create(context);
            for (var i = 0; i < 100; i++)
            {
                var config = CnnSearchSpace.Sample(rng, context);

                var p = CnnParameterSpace.Encode(config);
                var back = CnnParameterSpace.Decode(p, context);

                Assert.True(space.Contains(p), p.ToString());
                Assert.Equal(Json(config with { Training = config.Training with { LearningRate = 0 } }),
                    Json(back with { Training = back.Training with { LearningRate = 0 } }));
                Assert.Equal(config.Training.LearningRate, back.Training.LearningRate, 1e-12);
            }
        }
    }

    [Fact]
    public void A_config_of_the_first_space_encodes_to_a_point_inside_the_cell_space()
    {
        var legacy = TestData.SmallTrial(epochs: 2, optimizer: "sgd", learningRate: 0.05);
        var space = CnnParameterSpace.Create(Contexts[2]);

        var p = CnnParameterSpace.Encode(legacy);

        Assert.True(space.Contains(p), p.ToString());
        Assert.Equal("sgd", p.GetString("optimizer"));
        Assert.Equal(CellOps.Conv3, p.GetString("block1Op"));
    }

    [Fact]
    public void Starting_points_are_inside_the_space_and_a_sound_fashion_mnist_network_comes_first()
    {
        foreach (var context in Contexts)
        {
            var space = CnnParameterSpace.Create(context);
            Assert.All(CnnStartingPoints.For(context), p => Assert.True(space.Contains(p), p.ToString()));
        }

        var fashion = Contexts[0];
        var search = CnnSpaceSearch.Create("tpe", fashion, seed: 1, budget: 20);
        var first = search.Ask(1);
        var second = search.Ask(2);

        // Two stages of 2 x conv 3x3 (32, 64) with BN, flattening a 7x7 map: about 96,000 parameters.
        Assert.Equal("stage 1: 2 x conv 3x3 (32), max-pool · stage 2: 2 x conv 3x3 (64), max-pool · BN · flatten 7x7 -> dropout 0.25 -> 10 classes",
            TrialConfigDescription.Architecture(first.Architecture));
        Assert.Equal("adamw lr 0.001 cosine · wd 0.005 · batch 64 · smoothing 0.1", TrialConfigDescription.Training(first.Training));
        Assert.InRange(CnnSearchSpace.CountParameters(first.Architecture), 50_000, 250_000);
        Assert.InRange(CnnSearchSpace.CountParameters(second.Architecture), 50_000, 250_000);
        Assert.Equal("onecycle", second.Training.Schedule);
        Assert.Equal(new AugmentationSettings(HorizontalFlip: true, CropPadding: 2, ErasingProbability: 0.25), second.Training.Augmentation);
        Assert.NotEqual(Json(first), Json(search.Ask(3)));
    }

    [Fact]
    public void Tpe_can_search_the_cnn_space_and_every_ask_decodes_to_a_trainable_config()
    {
        var context = Contexts[0];
        var space = CnnParameterSpace.Create(context);
        var tpe = SpaceStrategies.Create("tpe", space, seed: 4, budget: 30);
        for (var n = 1; n <= 30; n++)
        {
            var p = tpe.Ask(n);
            var config = CnnParameterSpace.Decode(p, context);
            // Stand-in objective: prefer fewer parameters, as a size-limited search would.
            tpe.Tell(n, p, -Math.Log(CnnSearchSpace.CountParameters(config.Architecture)));
        }
    }

    private static string Json(TrialConfig config) => System.Text.Json.JsonSerializer.Serialize(config, EngineJson.Options);
}
