using System.Text.Json;
using AutoMLStudio.Engine.Models;
using AutoMLStudio.Engine.Search;
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
        new(3, 36, 5, [0.5f, 0.4f, 0.3f], [0.2f, 0.2f, 0.2f], 2),
    ];

    [Fact]
    public void CountParameters_equals_the_built_module_parameter_count_for_many_random_architectures()
    {
        var rng = new Random(42);
        var seen = new HashSet<string>();
        foreach (var context in Contexts)
        {
            for (var i = 0; i < 25; i++)
            {
                var architecture = CnnSearchSpace.Sample(rng, context).Architecture;
                using var module = CnnModelFactory.Build(architecture);

                var actual = module.parameters().Sum(p => p.numel());

                Assert.Equal(actual, CnnSearchSpace.CountParameters(architecture));
                foreach (var stage in architecture.Stages) seen.UnionWith(stage.Ops.Append(stage.Downsample));
            }
        }
        Assert.Superset(CellOps.All.Concat(CellOps.Downsamplings).ToHashSet(), seen);
    }

    [Fact]
    public void Built_module_maps_a_batch_to_one_logit_per_class()
    {
        var rng = new Random(5);
        for (var i = 0; i < 5; i++)
        {
            var architecture = CnnSearchSpace.Sample(rng, Contexts[1]).Architecture;
            using var module = CnnModelFactory.Build(architecture);
            using var scope = TorchSharp.torch.NewDisposeScope();

            var logits = module.forward(TorchSharp.torch.rand(2, 3, 64, 64));

            Assert.Equal([2L, 4L], logits.shape);
        }
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
    public void Separable_conv_then_residual_max_pool_with_global_pooling_matches_hand_computation()
    {
        // 1x8x8 input, one stage of width 4 with batch norm: sep-conv 3x3, max-pool 3x3, then 2x2 max pool; GAP head.
        var architecture = new CnnArchitecture(1, 8, 3, [], 0, 0, [0f], [1f],
            [new CellStage(4, [CellOps.SepConv3, CellOps.MaxPool3], "max")], BatchNorm: true, Head: "gap");

        // sep-conv: depthwise 1 ch * 3*3 = 9 weights (no bias); pointwise 1*4 = 4 (no bias: BN follows); BN 2*4 = 8.
        // max-pool: 0 (4 -> 4 channels, so it is residual: x + pool(x), still 0). GAP -> 4 features; output 4*3 + 3 = 15.
        Assert.Equal(9 + 4 + 8 + 15, CnnSearchSpace.CountParameters(architecture));
        // depthwise: 9 weights * 8*8 positions = 576; pointwise: 4 * 64 = 256; output: 4*3 = 12.
        Assert.Equal(576 + 256 + 12, CnnSearchSpace.CountFlops(architecture));
        AssertModuleHasParameters(architecture, 36);
    }

    [Fact]
    public void Projection_dilated_conv_stride_two_and_5x5_conv_with_flatten_head_match_hand_computation()
    {
        // 3x16x16 input, no batch norm (every conv has a bias).
        // Stage 1 (width 8): identity, dil-conv 3x3, then a stride-2 conv. Stage 2 (width 16): conv 5x5, then 2x2 avg pool.
        var architecture = new CnnArchitecture(3, 16, 2, [], 10, 0.5, [0f, 0f, 0f], [1f, 1f, 1f],
        [
            new CellStage(8, [CellOps.Identity, CellOps.DilConv3], "stride"),
            new CellStage(16, [CellOps.Conv5], "avg"),
        ], BatchNorm: false, Head: "flatten");

        // identity cannot go from 3 to 8 channels: 1x1 projection 3*8 + 8 = 32 params, 24 * 16*16 = 6,144 MACs.
        // dil-conv 8 -> 8 (residual): 8*8*9 + 8 = 584 params, 576 * 16*16 = 147,456 MACs.
        // stride-2 conv 8 -> 8, 16 -> 8 wide: 584 params, 576 * 8*8 = 36,864 MACs.
        // conv 5x5 8 -> 16: 16*8*25 + 16 = 3,216 params, 3,200 * 8*8 = 204,800 MACs; avg pool 8 -> 4.
        // flatten 16*4*4 = 256 -> dense 10: 2,570 params, 2,560 MACs; output 10 -> 2: 22 params, 20 MACs.
        Assert.Equal(32 + 584 + 584 + 3216 + 2570 + 22, CnnSearchSpace.CountParameters(architecture));
        Assert.Equal(6144 + 147456 + 36864 + 204800 + 2560 + 20, CnnSearchSpace.CountFlops(architecture));
        Assert.Equal((16, 4), architecture.FeatureMap());
        AssertModuleHasParameters(architecture, 7008);
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

                Assert.Empty(a.Blocks);
                Assert.InRange(a.Stages.Count, CnnParameterSpace.MinStages(context.InputSize), 3);
                Assert.All(a.Stages, s => Assert.InRange(s.Ops.Count, 1, 3));
                Assert.All(a.Stages, s => Assert.All(s.Ops, op => Assert.Contains(op, CellOps.All)));
                Assert.Contains(a.Stages[0].Width, new[] { 8, 16, 24, 32, 48, 64 });
                Assert.Contains(a.DenseUnits, new[] { 0, 32, 64, 128 });
                Assert.InRange(a.Dropout, 0, 0.5);
                Assert.InRange(a.FeatureMap().Size, 1, CnnSearchSpace.MaxFinalFeatureSize);
                Assert.Equal(context.MaxEpochs, t.Epochs);
                Assert.Contains(t.BatchSize, new[] { 32, 64, 128 });
                Assert.Contains(t.Schedule, new[] { "constant", "cosine", "onecycle" });
                Assert.InRange(t.LabelSmoothing, 0, 0.15);
                Assert.Contains(t.Augmentation.CropPadding, new[] { 0, 2, 4 });
                Assert.Contains(t.Augmentation.ErasingProbability, new[] { 0, 0.25, 0.5 });
                if (t.Optimizer == "sgd") Assert.InRange(t.LearningRate, 1e-2, 1e-1 * (1 + 1e-12));
                else Assert.InRange(t.LearningRate, 3e-4, 3e-3 * (1 + 1e-12));
                Assert.True(t.WeightDecay == 0 || t.WeightDecay is >= 1e-5 and <= 1e-2);
                Assert.True(!t.Nesterov || t.Optimizer == "sgd");
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
        Assert.Contains("\"stages\":[{\"width\":", json);
        Assert.Contains("\"learningRate\":", json);
        Assert.Contains("\"augmentation\":{\"horizontalFlip\":", json);
        Assert.Equal(json, JsonSerializer.Serialize(back, EngineJson.Options));
        Assert.Equal(config.Training, back.Training);
        Assert.Equal(config.Architecture.Mean, back.Architecture.Mean);
    }

    [Fact]
    public void A_trial_config_stored_before_the_cell_space_builds_the_same_network_as_before()
    {
        // Written by the first image space: plain conv blocks, no stages, head, schedule, smoothing or augmentation.
        const string stored = """
            {"architecture":{"inputChannels":1,"inputSize":16,"classCount":3,
              "blocks":[{"filters":8,"kernel":3,"batchNorm":true,"pool":true},{"filters":16,"kernel":5,"batchNorm":false,"pool":true}],
              "denseUnits":32,"dropout":0.1,"mean":[0.5],"std":[0.3]},
             "training":{"optimizer":"sgd","learningRate":0.05,"weightDecay":0.0001,"batchSize":32,"epochs":3}}
            """;

        var config = JsonSerializer.Deserialize<TrialConfig>(stored, EngineJson.Options)!;
        using var module = CnnModelFactory.Build(config.Architecture);

        Assert.Empty(config.Architecture.Stages);
        Assert.Equal("flatten", config.Architecture.Head);
        Assert.Equal(new TrainingSettings("sgd", 0.05, 1e-4, 32, 3, "constant", 0, AugmentationSettings.None, Nesterov: false), config.Training);
        // The same layer names as the first space used, so weights saved then load into it.
        string[] firstSpaceNames =
            ["normalize.mean", "normalize.std", "conv0.weight", "bn0.weight", "bn0.bias", "bn0.running_mean", "bn0.running_var",
             "bn0.num_batches_tracked", "conv1.weight", "conv1.bias", "dense.weight", "dense.bias", "output.weight", "output.bias"];
        Assert.Equal(firstSpaceNames.Order(), module.state_dict().Keys.Order());
        // conv0 1*8*9 = 72 + bn0 16; conv1 8*16*25 + 16 = 3,216; flatten 16*4*4 = 256 -> dense 32: 8,224; output 32*3 + 3 = 99.
        Assert.Equal(72 + 16 + 3216 + 8224 + 99, CnnSearchSpace.CountParameters(config.Architecture));
        // conv0 72 * 16*16 = 18,432; conv1 3,200 * 8*8 = 204,800; dense 8,192; output 96.
        Assert.Equal(18432 + 204800 + 8192 + 96, CnnSearchSpace.CountFlops(config.Architecture));
        AssertModuleHasParameters(config.Architecture, 11627);
    }

    [Fact]
    public void Descriptions_name_each_stage_operation_width_and_the_training_settings()
    {
        var architecture = new CnnArchitecture(1, 28, 10, [], 0, 0.25, [0f], [1f],
        [
            new CellStage(32, [CellOps.SepConv3, CellOps.SepConv3], "max"),
            new CellStage(64, [CellOps.Conv3, CellOps.Identity], "stride"),
        ], BatchNorm: true);
        var training = new TrainingSettings("adamw", 1e-3, 5e-3, 64, 10, "cosine", 0.1, new AugmentationSettings(true, 2, 0.25));

        Assert.Equal("stage 1: 2 x sep-conv 3x3 (32), max-pool · stage 2: conv 3x3, identity (64), stride-2 · BN · flatten 7x7 -> dropout 0.25 -> 10 classes",
            TrialConfigDescription.Architecture(architecture));
        Assert.Equal("adamw lr 0.001 cosine · wd 0.005 · batch 64 · smoothing 0.1 · flip, crop 2 px, erase 25%",
            TrialConfigDescription.Training(training));
    }

    private static void AssertModuleHasParameters(CnnArchitecture architecture, long expected)
    {
        using var module = CnnModelFactory.Build(architecture);
        using var scope = TorchSharp.torch.NewDisposeScope();
        var logits = module.forward(TorchSharp.torch.rand(2, architecture.InputChannels, architecture.InputSize, architecture.InputSize));

        Assert.Equal(expected, module.parameters().Sum(p => p.numel()));
        Assert.Equal([2L, architecture.ClassCount], logits.shape);
    }
}
