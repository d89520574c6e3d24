using AutoMLStudio.Engine.Backbones;
using AutoMLStudio.Engine.Models;
using AutoMLStudio.Engine.Native;
using AutoMLStudio.Engine.Onnx;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Tests.Onnx;
using AutoMLStudio.Engine.Training;
using TorchSharp;

namespace AutoMLStudio.Engine.Tests.Training;

/// <summary>A search's "fine-tune this backbone" trial goes through the same trainer, costs, memory estimate and ONNX export as the studio's own networks.</summary>
[Collection(TorchCollection.Name)]
public sealed class BackboneTrialTests : IDisposable
{
    private readonly TempFolders _folders = new();

    public BackboneTrialTests() => TorchNative.EnsureLoaded();

    public void Dispose() => _folders.Dispose();

    private static CnnArchitecture MobileNet() => TestData.SmallCnn() with { Blocks = [], DenseUnits = 0, Dropout = 0, Backbone = BackboneArchitectures.MobileNetV2 };

    // What an admin imports: ImageNet's layout with its 1000-class head, saved in TorchSharp's format.
    private string ImportedWeights()
    {
        var path = Path.Combine(_folders.New(), "mobilenet_v2.dat");
        torch.manual_seed(11);
        using var model = BackboneFactory.Build(new BackboneSpec(BackboneArchitectures.MobileNetV2, 3, 64, BackboneArchitectures.ImageNetClasses));
        model.save(path);
        return path;
    }

    private static Dictionary<string, float[]> Tensors(BackboneClassifier model) =>
        model.state_dict().Where(p => p.Value.dtype == torch.float32).ToDictionary(p => p.Key, p => p.Value.data<float>().ToArray());

    [Fact]
    public async Task A_partly_frozen_trial_starts_from_the_imported_weights_keeps_the_frozen_layers_and_learns_the_last_stage_and_a_new_head()
    {
        var imported = ImportedWeights();
        var config = new TrialConfig(MobileNet(), new TrainingSettings("adam", 1e-3, 0, BatchSize: 16, Epochs: 1),
            new FineTuneSettings(FineTuneSettings.Partial, LearningRateScale: 0.1));
        var request = new TrainingRequest(config, TestData.Stripes(48, 16, seed: 1), TestData.Stripes(24, 16, seed: 2), _folders.New(), Seed: 3,
            TestData.Cpu, Threads: 2, InitialWeights: imported);

        var outcome = await ImageClassifierTrainer.TrainAsync(request, _ => Task.CompletedTask, CancellationToken.None);

        using var source = BackboneFactory.Build(new BackboneSpec(BackboneArchitectures.MobileNetV2, 3, 64, BackboneArchitectures.ImageNetClasses));
        source.load(imported);
        using var trained = (BackboneClassifier)CnnModelFactory.Build(config.Architecture);
        trained.load(outcome.BestWeightsPath);
        var before = Tensors(source);
        var after = Tensors(trained);
        Assert.Equal(before["features.0.0.weight"], after["features.0.0.weight"]);
        Assert.Equal(before["features.13.conv.0.0.weight"], after["features.13.conv.0.0.weight"]);
        // Frozen batch norms kept their running statistics: they stayed in evaluation mode while the rest trained.
        Assert.Equal(before["features.1.conv.0.1.running_mean"], after["features.1.conv.0.1.running_mean"]);
        Assert.NotEqual(before["features.18.0.weight"], after["features.18.0.weight"]);
        Assert.Equal(TestData.Classes * 1280, after["classifier.1.weight"].Length);
        Assert.Equal(CnnSearchSpace.CountParameters(config.Architecture), outcome.Parameters);
        Assert.True(double.IsFinite(outcome.Epochs.Single().TrainLoss));
    }

    [Fact]
    public async Task A_frozen_trial_trains_only_the_head_on_features_computed_once_and_they_are_the_whole_networks()
    {
        var imported = ImportedWeights();
        var config = new TrialConfig(MobileNet(), new TrainingSettings("adam", 3e-3, 0, BatchSize: 16, Epochs: 3), new FineTuneSettings(FineTuneSettings.Head));
        var (train, validation) = (TestData.Stripes(48, 16, seed: 1), TestData.Stripes(24, 16, seed: 2));
        var request = new TrainingRequest(config, train, validation, _folders.New(), Seed: 3, TestData.Cpu, Threads: 2, InitialWeights: imported);

        var outcome = await ImageClassifierTrainer.TrainAsync(request, _ => Task.CompletedTask, CancellationToken.None);

        using var source = BackboneFactory.Build(new BackboneSpec(BackboneArchitectures.MobileNetV2, 3, 64, BackboneArchitectures.ImageNetClasses));
        source.load(imported);
        using var trained = (BackboneClassifier)CnnModelFactory.Build(config.Architecture);
        trained.load(outcome.BestWeightsPath);
        var (before, after) = (Tensors(source), Tensors(trained));
        Assert.All(after.Keys.Where(k => !k.StartsWith("classifier.", StringComparison.Ordinal)), k => Assert.Equal(before[k], after[k]));
        Assert.True(outcome.Epochs[^1].TrainLoss < outcome.Epochs[0].TrainLoss, string.Join(", ", outcome.Epochs.Select(e => e.TrainLoss)));

        // The cached features give the whole network's logits, in the validation order.
        trained.Freeze(FreezeMode.Frozen);
        trained.train();
        using (var cached = FrozenFeatures.TryCreate(trained, request, CancellationToken.None)!)
        {
            trained.eval();
            using var scope = torch.NewDisposeScope();
            var (logits, labels) = cached.Validation(0, validation.Count);
            var pixels = torch.tensor(validation.Pixels, [validation.Count, 1, 16, 16]);
            Assert.True(logits.sub(trained.forward(pixels)).abs().max().item<float>() < 1e-4);
            Assert.Equal(validation.Labels.Select(l => (long)l), labels.data<long>().ToArray());
        }
        // Augmented images change every epoch, and a backbone that learns changes its features: no cache then.
        Assert.Null(FrozenFeatures.TryCreate(trained, request with { Config = config with { Training = config.Training with { Augmentation = new AugmentationSettings(HorizontalFlip: true) } } }, CancellationToken.None));
        trained.Freeze(FreezeMode.Partial);
        Assert.Null(FrozenFeatures.TryCreate(trained, request, CancellationToken.None));
    }

    [Fact]
    public void Costs_and_memory_of_a_backbone_architecture_are_the_backbones_own()
    {
        var architecture = MobileNet();
        var spec = architecture.BackboneSpec()!;
        Assert.Equal(64, spec.WorkingSize);
        Assert.Equal(2_223_872 + 1_281 * TestData.Classes, CnnSearchSpace.CountParameters(architecture));
        Assert.Equal(BackboneCost.CountFlops(spec), CnnSearchSpace.CountFlops(architecture));
        using var model = CnnModelFactory.Build(architecture);
        Assert.Equal(CnnSearchSpace.CountParameters(architecture), model.parameters().Sum(p => p.numel()));
        // Weights, gradients and two moments, plus every convolution's output kept three times per image, plus the workspace.
        var perImage = 4L * (16 * 16 + 3 * 64 * 64 + 3 * BackboneCost.CountConvolutionOutputs(spec));
        Assert.Equal(4L * 4 * CnnSearchSpace.CountParameters(architecture) + 32 * perImage + TrainingMemory.WorkspaceBytes,
            TrainingMemory.EstimateBytes(architecture, batchSize: 32));
        Assert.Equal("MobileNetV2 pretrained · images upsampled to 64x64 · new head -> 3 classes", TrialConfigDescription.Architecture(architecture));
    }

    [Fact]
    public void A_backbone_trial_exports_to_onnx_through_the_image_classifier_path_and_predicts_as_in_torchsharp()
    {
        var architecture = MobileNet();
        torch.manual_seed(4);
        using var model = CnnModelFactory.Build(architecture);
        OnnxParity.RandomizeBatchNorms(model);
        model.eval();
        using var pixels = torch.rand(2, 1, 16, 16);
        using var expected = torch.nn.functional.softmax(model.forward(pixels), 1);

        var onnx = OnnxExport.ImageClassifier(architecture, model);

        Assert.True(OnnxParity.MaxDifference(expected, OnnxParity.Run(onnx, "probabilities", ("pixels", pixels))) < 1e-4);
    }
}
