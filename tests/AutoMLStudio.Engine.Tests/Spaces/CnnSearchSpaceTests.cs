using System.Text.Json;
using AutoMLStudio.Engine.Models;
using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Engine.Tests.Spaces;

[Collection(TorchCollection.Name)]
public sealed class CnnSearchSpaceTests
{
    private static readonly SearchSpaceContext[] Contexts =
    [
        new(1, 28, 10, [0.28f], [0.35f], 5),
        new(3, 64, 4, [0.5f, 0.4f, 0.3f], [0.2f, 0.2f, 0.2f], 3),
        new(1, 16, 2, [0.5f], [0.25f], 1),
    ];

    [Fact]
    public void CountParameters_equals_the_built_module_parameter_count_for_sampled_architectures()
    {
        var rng = new Random(42);
        foreach (var context in Contexts)
        {
            for (var i = 0; i < 8; i++)
            {
                var architecture = CnnSearchSpace.Sample(rng, context).Architecture;
                using var module = CnnModelFactory.Build(architecture);

                var actual = module.parameters().Sum(p => p.numel());

                Assert.Equal(actual, CnnSearchSpace.CountParameters(architecture));
            }
        }
    }

    [Fact]
    public void Built_module_maps_a_batch_to_one_logit_per_class()
    {
        var architecture = CnnSearchSpace.Sample(new Random(5), Contexts[1]).Architecture;
        using var module = CnnModelFactory.Build(architecture);
        using var scope = TorchSharp.torch.NewDisposeScope();

        var logits = module.forward(TorchSharp.torch.rand(2, 3, 64, 64));

        Assert.Equal([2L, 4L], logits.shape);
    }

    [Fact]
    public void CountFlops_and_CountParameters_match_hand_computation_for_a_tiny_network()
    {
        // 1x8x8 input -> conv 3x3 to 2 filters (bias) -> pool to 4x4 -> flatten 32 -> dense 4 -> 3 classes.
        var architecture = new CnnArchitecture(1, 8, 3, [new ConvBlockSpec(2, 3, BatchNorm: false, Pool: true)], 4, 0, [0f], [1f]);

        // conv: 2 out * 8*8 positions * 1 in * 3*3 = 1152; dense: 32*4 = 128; output: 4*3 = 12.
        Assert.Equal(1152 + 128 + 12, CnnSearchSpace.CountFlops(architecture));
        // conv: 1*2*9 + 2 bias = 20; dense: 32*4 + 4 = 132; output: 4*3 + 3 = 15.
        Assert.Equal(20 + 132 + 15, CnnSearchSpace.CountParameters(architecture));
    }

    [Fact]
    public void Samples_stay_inside_the_documented_ranges_and_end_with_a_small_feature_map()
    {
        var rng = new Random(1);
        foreach (var context in Contexts)
        {
            for (var i = 0; i < 200; i++)
            {
                var config = CnnSearchSpace.Sample(rng, context);
                var a = config.Architecture;
                var t = config.Training;

                Assert.InRange(a.Blocks.Count, 1, 3);
                Assert.All(a.Blocks, b => Assert.Contains(b.Filters, new[] { 8, 16, 32, 64 }));
                Assert.All(a.Blocks, b => Assert.Contains(b.Kernel, new[] { 3, 5 }));
                Assert.Contains(a.DenseUnits, new[] { 0, 32, 64, 128 });
                Assert.InRange(a.Dropout, 0, 0.5);
                Assert.InRange(a.FeatureMap().Size, 1, CnnSearchSpace.MaxFinalFeatureSize);
                Assert.Equal(context.MaxEpochs, t.Epochs);
                Assert.Contains(t.BatchSize, new[] { 32, 64, 128 });
                if (t.Optimizer == "adam") Assert.InRange(t.LearningRate, 3e-4, 3e-3);
                else Assert.InRange(t.LearningRate, 1e-2, 1e-1);
                Assert.True(t.WeightDecay == 0 || t.WeightDecay is >= 1e-5 and <= 1e-3);
            }
        }
    }

    [Fact]
    public void TrialConfig_round_trips_through_camelCase_json()
    {
        var config = CnnSearchSpace.Sample(new Random(3), Contexts[1]);

        var json = JsonSerializer.Serialize(config, EngineJson.Options);
        var back = JsonSerializer.Deserialize<TrialConfig>(json, EngineJson.Options)!;

        Assert.Contains("\"architecture\":", json);
        Assert.Contains("\"learningRate\":", json);
        Assert.Contains("\"batchNorm\":", json);
        Assert.Equal(json, JsonSerializer.Serialize(back, EngineJson.Options));
        Assert.Equal(config.Training, back.Training);
        Assert.Equal(config.Architecture.Blocks, back.Architecture.Blocks);
        Assert.Equal(config.Architecture.Mean, back.Architecture.Mean);
    }
}
