using System.Text.Json.Nodes;
using AutoMLStudio.Engine.Data;
using AutoMLStudio.Engine.Metrics;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Engine.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class TrainerObjectiveTests : IDisposable
{
    private static readonly ImageTensorData Train = TestData.Stripes(120, 16, seed: 11);
    private static readonly ImageTensorData Validation = TestData.Stripes(45, 16, seed: 12);
    private readonly string _folder = TestData.TempFolder();

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private Task<TrainingOutcome> TrainAsync(int epochs, Objective? objective, List<EpochReport>? seen = null) =>
        ImageClassifierTrainer.TrainAsync(
            new TrainingRequest(TestData.SmallTrial(epochs, optimizer: "sgd", learningRate: 0.02), Train, Validation, _folder, 3, TestData.Cpu, 2, objective),
            r => { seen?.Add(r); return Task.CompletedTask; }, CancellationToken.None);

    [Fact]
    public async Task Cost_objective_reports_each_epochs_cost_and_keeps_the_cheapest_epochs_weights()
    {
        var objective = new Objective(MetricCatalog.Cost, [[0, 1, 1], [10, 0, 1], [1, 1, 0]]);

        var outcome = await TrainAsync(3, objective);

        Assert.All(outcome.Epochs, r =>
        {
            Assert.NotNull(r.ValConfusion);
            Assert.Equal(Validation.Count, r.ValConfusion.Total);
            Assert.Equal(objective.Score(r.ValConfusion), r.ValMetric);
            Assert.Equal(ClassificationMetrics.Accuracy(r.ValConfusion), r.ValAccuracy, 12);
        });
        var cheapest = outcome.Epochs.MinBy(r => r.ValMetric)!;
        Assert.Equal(cheapest.Epoch, outcome.BestEpoch);
        Assert.Equal(cheapest.ValMetric, outcome.BestValMetric);
        Assert.Equal(cheapest.ValConfusion, outcome.BestValConfusion);

        var evaluated = ImageClassifierTrainer.Evaluate(TestData.SmallCnn(), outcome.BestWeightsPath, Validation, TestData.Cpu);
        Assert.Equal(cheapest.ValConfusion, new ConfusionMatrix(evaluated.ConfusionMatrix));
    }

    [Fact]
    public async Task A_checkpoint_written_before_objectives_resumes_and_its_epochs_count_as_accuracy()
    {
        await TrainAsync(2, objective: null);
        var statePath = Path.Combine(_folder, ImageClassifierTrainer.StateFile);
        var state = JsonNode.Parse(File.ReadAllText(statePath))!;
        foreach (var epoch in state["epochs"]!.AsArray())
        {
            epoch!.AsObject().Remove("valMetric");
            epoch.AsObject().Remove("valConfusion");
        }
        File.WriteAllText(statePath, state.ToJsonString());

        var seen = new List<EpochReport>();
        var outcome = await TrainAsync(3, objective: null, seen);

        Assert.Equal([1, 2, 3], seen.Select(r => r.Epoch));
        Assert.Null(seen[0].ValMetric);
        Assert.Equal(seen[0].ValAccuracy, seen[0].Score);
        Assert.NotNull(seen[2].ValConfusion);
        Assert.Equal(outcome.Epochs.Max(r => r.Score), outcome.BestValMetric);
    }
}
