using AutoMLStudio.Engine.Models;
using AutoMLStudio.Engine.Native;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Training;
using TorchSharp;

namespace AutoMLStudio.Engine.Tests.Search;

[Collection(TorchCollection.Name)] // one test trains networks
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
        var search = SearchStrategies.Create("tpe", fashion, seed: 1, budget: 20);
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
        // Stand-in objective: prefer fewer parameters, as a size-limited search would.
        double Score(ParameterSet p) => -Math.Log(CnnSearchSpace.CountParameters(CnnParameterSpace.Decode(p, context).Architecture));
        var tpe = SearchStrategies.Create("tpe", space, seed: 4, budget: 30);
        var scores = new List<double>();
        for (var n = 1; n <= 30; n++)
        {
            var p = tpe.Ask(n);
            Assert.True(space.Contains(p), p.ToString());
            AssertTrainsOneStep(CnnParameterSpace.Decode(p, context));
            tpe.Tell(n, p, Score(p));
            scores.Add(Score(p));
        }

        // The first asks are TPE's random warm-up; the last ten come from what it was told, so they must beat a random
        // draw of the space (by 1: networks under 40 % of the size). A TPE that ignored Tell would draw them at random.
        var (late, random) = (scores.TakeLast(10).Average(), RandomDraws.MeanScore(space, Score));
        Assert.True(late > random + 1, $"the last ten asks average {late:F2}, a random draw {random:F2} (-log parameters)");
    }

    // One optimizer step on a batch of two random images: the network builds for the context's input, gives a finite
    // loss and its weights move.
    private static void AssertTrainsOneStep(TrialConfig config)
    {
        TorchNative.EnsureLoaded();
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(1);
        var a = config.Architecture;
        using var model = CnnModelFactory.Build(a);
        using var optimizer = FineTuning.CreateOptimizer(model, config);
        var before = model.parameters().Select(w => w.detach().clone()).ToList();
        model.train();
        var logits = model.forward(torch.rand(2, a.InputChannels, a.InputSize, a.InputSize));
        var loss = torch.nn.functional.cross_entropy(logits, torch.tensor(new long[] { 0, 1 }));
        optimizer.ZeroGrad();
        loss.backward();
        optimizer.Step();

        var described = TrialConfigDescription.Architecture(a);
        Assert.Equal(new long[] { 2, a.ClassCount }, logits.shape);
        Assert.True(double.IsFinite(loss.item<float>()), $"{described}: loss {loss.item<float>()}");
        Assert.True(model.parameters().Zip(before).Any(pair => !pair.First.detach().allclose(pair.Second, rtol: 0, atol: 0)), $"{described}: no weight moved");
    }

    private static string Json(TrialConfig config) => System.Text.Json.JsonSerializer.Serialize(config, EngineJson.Options);
}
