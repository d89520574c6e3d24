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

                Assert.InRange(a.Blocks.Count, 1, 3);
                Assert.All(a.Blocks, b => Assert.Contains(b.Filters, new[] { 8, 16, 32, 64 }));
                Assert.InRange(a.FeatureMap().Size, 1, CnnSearchSpace.MaxFinalFeatureSize);
                Assert.Contains(a.DenseUnits, new[] { 0, 32, 64, 128 });
                Assert.InRange(a.Dropout, 0, 0.5);
                Assert.Equal(a.Dropout, Math.Round(a.Dropout / 0.05) * 0.05, 9);
                Assert.Equal(context.MaxEpochs, t.Epochs);
                if (t.Optimizer == "adam") Assert.InRange(t.LearningRate, 3e-4, 3e-3 * (1 + 1e-12));
                else Assert.InRange(t.LearningRate, 1e-2, 1e-1 * (1 + 1e-12));
                Assert.True(t.WeightDecay == 0 || t.WeightDecay is >= 1e-5 and <= 1e-3);
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
                Assert.Equal(config.Architecture.Blocks, back.Architecture.Blocks);
                Assert.Equal(config.Architecture.DenseUnits, back.Architecture.DenseUnits);
                Assert.Equal(config.Architecture.Dropout, back.Architecture.Dropout);
                Assert.Equal(config.Training with { LearningRate = 0, WeightDecay = 0 }, back.Training with { LearningRate = 0, WeightDecay = 0 });
                Assert.Equal(config.Training.LearningRate, back.Training.LearningRate, 1e-12);
                Assert.Equal(config.Training.WeightDecay, back.Training.WeightDecay, 1e-12);
            }
        }
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
}
