using System.Text.Json.Nodes;
using AutoMLStudio.Engine.Data;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Training;
using static AutoMLStudio.Engine.Tests.Tabular.TabularTestData;

namespace AutoMLStudio.Engine.Tests.Training;

/// <summary>The one epoch/checkpoint loop behind the image, backbone, tabular and text learners.</summary>
[Collection(TorchCollection.Name)]
public sealed class TrainingLoopTests : IDisposable
{
    private static readonly ImageTensorData Train = TestData.Stripes(120, 16, seed: 21);
    private static readonly ImageTensorData Validation = TestData.Stripes(45, 16, seed: 22);
    private readonly TempFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    private static async Task<(TrainingOutcome Outcome, List<EpochReport> Seen)> TrainImagesAsync(string folder, int epochs)
    {
        var seen = new List<EpochReport>();
        var outcome = await ImageClassifierTrainer.TrainAsync(
            new TrainingRequest(TestData.SmallTrial(epochs, optimizer: "sgd", learningRate: 0.02), Train, Validation, folder, 7, TestData.Cpu, 2),
            r => { seen.Add(r); return Task.CompletedTask; }, CancellationToken.None);
        return (outcome, seen);
    }

    private static object Metrics(IEnumerable<EpochReport> reports) => reports.Select(r => (r.Epoch, r.TrainLoss, r.ValLoss, r.ValAccuracy, r.ValMetric)).ToList();

    [Fact]
    public async Task A_checkpoint_the_image_trainer_wrote_before_the_one_loop_resumes_and_finishes_the_trial()
    {
        var uninterrupted = await TrainImagesAsync(_folders.New(), epochs: 3);
        var folder = _folders.New();
        await TrainImagesAsync(folder, epochs: 2);
        // The image trainer's own commit record, as a studio upgraded mid-trial finds it: best accuracy, no metric name.
        var statePath = Path.Combine(folder, CheckpointFiles.StateFile);
        var state = JsonNode.Parse(File.ReadAllText(statePath))!.AsObject();
        var bestEpoch = state["bestEpoch"]!.GetValue<int>();
        state.Remove("metric");
        state.Remove("bestValMetric");
        state["bestValAccuracy"] = state["epochs"]![bestEpoch - 1]!["valAccuracy"]!.GetValue<double>();
        File.WriteAllText(statePath, state.ToJsonString());

        var (outcome, seen) = await TrainImagesAsync(folder, epochs: 3);

        Assert.Equal([1, 2, 3], seen.Select(r => r.Epoch));
        Assert.Equal(Metrics(uninterrupted.Outcome.Epochs), Metrics(outcome.Epochs));
        Assert.Equal(uninterrupted.Outcome.BestEpoch, outcome.BestEpoch);
        Assert.True(File.Exists(Path.Combine(folder, CheckpointFiles.EpochWeightsFile(3))));
        Assert.False(File.Exists(Path.Combine(folder, CheckpointFiles.EpochWeightsFile(2))));
        Assert.Equal(3, JsonNode.Parse(File.ReadAllText(statePath))!["epoch"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_checkpoint_a_row_trainer_wrote_before_the_one_loop_resumes_and_finishes_the_trial()
    {
        var table = ColorTable(60, seed: 1);
        var plan = TabularPreprocessingPlan.Fit(ColorColumns, table);
        var architecture = new TabularMlpArchitecture(plan.Numeric.Count, plan.Cardinalities, table.Targets.Task, table.Targets.ClassCount, 1, 16, false, 0);
        TabularTrainingRequest Request(string folder, int epochs) =>
            new(new TabularTrialConfig(architecture, new TrainingSettings("adam", 0.01, 0, 16, epochs)), plan, table, ColorTable(30, seed: 2), folder, 3,
                TestData.Cpu, Threads: 2);
        var folder = _folders.New();
        await TabularTrainer.TrainAsync(Request(folder, 2), _ => Task.CompletedTask, CancellationToken.None);
        // The row trainers' own commit record had no schedule step: their schedule was constant.
        var statePath = Path.Combine(folder, CheckpointFiles.StateFile);
        var state = JsonNode.Parse(File.ReadAllText(statePath))!.AsObject();
        var firstEpochs = state["epochs"]!.ToJsonString();
        Assert.True(state.Remove("step"));
        File.WriteAllText(statePath, state.ToJsonString());

        var seen = new List<SupervisedEpochReport>();
        var outcome = await TabularTrainer.TrainAsync(Request(folder, 3), r => { seen.Add(r); return Task.CompletedTask; }, CancellationToken.None);

        Assert.Equal([1, 2, 3], seen.Select(r => r.Epoch));
        Assert.Equal(3, outcome.Epochs.Count);
        var resumed = JsonNode.Parse(File.ReadAllText(statePath))!.AsObject();
        Assert.Equal(firstEpochs, new JsonArray([.. resumed["epochs"]!.AsArray().Take(2).Select(e => e!.DeepClone())]).ToJsonString());
        Assert.Equal(3, resumed["epoch"]!.GetValue<int>());
    }

    [Fact]
    public async Task Image_and_row_models_write_one_checkpoint_layout()
    {
        var imageFolder = _folders.New();
        await TrainImagesAsync(imageFolder, epochs: 2);
        var rowFolder = _folders.New();
        var table = ColorTable(60, seed: 1);
        var plan = TabularPreprocessingPlan.Fit(ColorColumns, table);
        var architecture = new TabularMlpArchitecture(plan.Numeric.Count, plan.Cardinalities, table.Targets.Task, table.Targets.ClassCount, 1, 16, false, 0);
        await TabularTrainer.TrainAsync(new TabularTrainingRequest(new TabularTrialConfig(architecture, new TrainingSettings("adam", 0.01, 0, 16, 2)),
            plan, table, ColorTable(30, seed: 2), rowFolder, 3, TestData.Cpu, Threads: 2), _ => Task.CompletedTask, CancellationToken.None);

        static List<string> Files(string folder) => [.. Directory.GetFiles(folder).Select(f => Path.GetFileName(f)).Where(f => f != TabularTrainer.PlanFile).Order()];
        static List<string> Keys(string folder) =>
            [.. JsonNode.Parse(File.ReadAllText(Path.Combine(folder, CheckpointFiles.StateFile)))!.AsObject().Select(p => p.Key).Order()];

        Assert.Equal([CheckpointFiles.BestWeightsFile, CheckpointFiles.EpochOptimizerFile(2), CheckpointFiles.EpochWeightsFile(2), CheckpointFiles.StateFile],
            Files(imageFolder));
        Assert.Equal(Files(imageFolder), Files(rowFolder));
        Assert.Equal(Keys(imageFolder), Keys(rowFolder));
        Assert.Contains("step", Keys(rowFolder));
    }
}
