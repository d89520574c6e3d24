using AutoMLStudio.Engine.Data;
using AutoMLStudio.Engine.Models;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Training;
using TorchSharp;

namespace AutoMLStudio.Engine.Tests.Training;

/// <summary>A trial that starts from a trained model: its layers but a new output layer for the new classes.</summary>
[Collection(TorchCollection.Name)]
public sealed class FineTuningTests : IDisposable
{
    private readonly TempFolders _folders = new();
    private static readonly ImageTensorData Train = TestData.Stripes(300, 16, seed: 1);
    private static readonly ImageTensorData Validation = TestData.Stripes(90, 16, seed: 2);

    public void Dispose() => _folders.Dispose();

    private string NewFolder() => _folders.New();

    private async Task<string> TrainAsync(TrialConfig config, string? initialWeights = null)
    {
        var request = new TrainingRequest(config, Train, Validation, NewFolder(), Seed: 5, TestData.Cpu, Threads: 2, InitialWeights: initialWeights);
        return (await ImageClassifierTrainer.TrainAsync(request, _ => Task.CompletedTask, CancellationToken.None)).BestWeightsPath;
    }

    private static Dictionary<string, float[]> Weights(CnnArchitecture architecture, string path)
    {
        using var model = CnnModelFactory.Build(architecture);
        model.load(path);
        return model.state_dict().Where(p => p.Value.dtype == torch.float32).ToDictionary(p => p.Key, p => p.Value.data<float>().ToArray());
    }

    private static TrialConfig FourClasses(string mode) =>
        TestData.SmallTrial(epochs: 2) with { Architecture = TestData.SmallCnn() with { ClassCount = 4 }, FineTune = new FineTuneSettings(mode) };

    [Fact]
    public async Task Head_mode_keeps_every_layer_it_started_from_and_learns_a_new_output_layer_for_more_classes()
    {
        var source = await TrainAsync(TestData.SmallTrial(epochs: 2));
        var config = FourClasses(FineTuneSettings.Head);

        var tuned = await TrainAsync(config, source);

        var before = Weights(TestData.SmallCnn(), source);
        var after = Weights(config.Architecture, tuned);
        Assert.Equal(before["conv0.weight"], after["conv0.weight"]);
        Assert.Equal(before["dense.weight"], after["dense.weight"]);
        Assert.Equal(4 * 32, after["output.weight"].Length);
    }

    [Fact]
    public async Task Full_mode_starts_from_the_trained_layers_and_goes_on_learning_all_of_them()
    {
        var source = await TrainAsync(TestData.SmallTrial(epochs: 3));
        var config = FourClasses(FineTuneSettings.Full) with { Training = TestData.SmallTrial(epochs: 1).Training with { LearningRate = 1e-3 } };
        var folder = NewFolder();
        var reports = new List<EpochReport>();
        await ImageClassifierTrainer.TrainAsync(new TrainingRequest(config, Train, Validation, folder, 5, TestData.Cpu, 2, InitialWeights: source),
            r => { reports.Add(r); return Task.CompletedTask; }, CancellationToken.None);
        var scratch = new List<EpochReport>();
        await ImageClassifierTrainer.TrainAsync(new TrainingRequest(config with { FineTune = null }, Train, Validation, NewFolder(), 5, TestData.Cpu, 2),
            r => { scratch.Add(r); return Task.CompletedTask; }, CancellationToken.None);

        var before = Weights(TestData.SmallCnn(), source);
        var after = Weights(config.Architecture, Path.Combine(folder, ImageClassifierTrainer.BestWeightsFile));
        Assert.NotEqual(before["conv0.weight"], after["conv0.weight"]);
        // One epoch on top of trained layers beats one epoch from random ones.
        Assert.True(reports[0].ValAccuracy > scratch[0].ValAccuracy, $"fine-tuned {reports[0].ValAccuracy:P1}, from scratch {scratch[0].ValAccuracy:P1}");
    }

    [Fact]
    public async Task Weights_of_another_architecture_or_none_at_all_are_refused_with_a_clear_message()
    {
        var source = await TrainAsync(TestData.SmallTrial(epochs: 1));
        var wider = FourClasses(FineTuneSettings.Full) with
        {
            Architecture = TestData.SmallCnn() with { ClassCount = 4, Blocks = [new ConvBlockSpec(12, 3, true, true), new ConvBlockSpec(16, 3, false, true)] },
        };

        var mismatch = await Assert.ThrowsAsync<InvalidDataException>(() => TrainAsync(wider, source));
        Assert.StartsWith("The starting model's weights do not fit this network", mismatch.Message);
        await Assert.ThrowsAsync<FileNotFoundException>(() => TrainAsync(FourClasses(FineTuneSettings.Full), Path.Combine(NewFolder(), "missing.weights")));
        var noWeights = await Assert.ThrowsAsync<ArgumentException>(() => TrainAsync(FourClasses(FineTuneSettings.Full)));
        Assert.Contains("needs the weights it starts from", noWeights.Message);
        var badMode = await Assert.ThrowsAsync<ArgumentException>(() => TrainAsync(FourClasses("half"), source));
        Assert.Contains("Unknown fine-tuning mode 'half'", badMode.Message);
    }
}
