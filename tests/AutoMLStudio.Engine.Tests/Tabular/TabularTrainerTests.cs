using AutoMLStudio.Engine.Metrics;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Training;
using static AutoMLStudio.Engine.Tests.Tabular.TabularTestData;

namespace AutoMLStudio.Engine.Tests.Tabular;

[Collection(TorchCollection.Name)]
public sealed class TabularTrainerTests : IDisposable
{
    private readonly TempFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    private string NewFolder() => _folders.New();

    private static TabularTrainingRequest Request(IReadOnlyList<TabularColumn> columns, TabularExamples train, TabularExamples validation,
        string folder, int epochs, bool batchNorm = false, double learningRate = 0.01, string? metric = null, int seed = 3)
    {
        var plan = TabularPreprocessingPlan.Fit(columns, train);
        var task = train.Targets.Task;
        var architecture = new TabularMlpArchitecture(plan.Numeric.Count, plan.Cardinalities, task, train.Targets.ClassCount, 2, 32, batchNorm, 0.1);
        var config = new TabularTrialConfig(architecture, new TrainingSettings("adam", learningRate, 0, 32, epochs));
        return new TabularTrainingRequest(config, plan, train, validation, folder, seed, TestData.Cpu, metric, Threads: 2);
    }

    private static async Task<(SupervisedTrainingOutcome Outcome, List<SupervisedEpochReport> Seen)> TrainAsync(
        TabularTrainingRequest request, CancellationToken cancellationToken = default)
    {
        var seen = new List<SupervisedEpochReport>();
        var outcome = await TabularTrainer.TrainAsync(request, r => { seen.Add(r); return Task.CompletedTask; }, cancellationToken);
        return (outcome, seen);
    }

    private static object Metrics(IEnumerable<SupervisedEpochReport> reports) =>
        reports.Select(r => (r.Epoch, r.TrainLoss, r.ValLoss, r.ValMetric)).ToList();

    [Fact]
    public async Task Mlp_learns_a_label_that_a_categorical_column_determines_despite_a_noisy_numeric_one()
    {
        var request = Request(ColorColumns, ColorTable(300, seed: 1), ColorTable(90, seed: 2), NewFolder(), epochs: 5, batchNorm: true);

        var (outcome, seen) = await TrainAsync(request);
        var test = TabularTrainer.Evaluate(request.Config.Architecture, outcome.BestWeightsPath, request.Plan, ColorTable(90, seed: 3), TestData.Cpu);

        Assert.True(outcome.BestValMetric > 0.95, $"validation accuracy {outcome.BestValMetric:P1}");
        Assert.True(test.Accuracy > 0.95, $"test accuracy {test.Accuracy:P1}");
        Assert.Equal(90, test.ConfusionMatrix!.Sum(r => r.Sum()));
        Assert.All(test.Probabilities!, p => Assert.Equal(1f, p.Sum(), 3));
        Assert.Equal("accuracy", outcome.Metric);
        Assert.Equal(5, seen.Count);
        Assert.Equal(TabularCost.CountParameters(request.Config.Architecture), outcome.Parameters);
        Assert.Equal(request.Plan.ToJson(), File.ReadAllText(Path.Combine(request.CheckpointFolder, TabularTrainer.PlanFile)));
    }

    [Fact]
    public async Task Regression_learns_a_linear_target_with_rmse_far_below_its_spread_in_the_targets_units()
    {
        var train = LinearTable(400, seed: 1);
        var request = Request(LinearColumns, train, LinearTable(100, seed: 2), NewFolder(), epochs: 8);

        var (outcome, _) = await TrainAsync(request);
        var test = LinearTable(100, seed: 3);
        var evaluation = TabularTrainer.Evaluate(request.Config.Architecture, outcome.BestWeightsPath, request.Plan, test, TestData.Cpu);

        var spread = StandardDeviation(test.Targets.Values);
        Assert.Equal(RegressionMetrics.Rmse, outcome.Metric);
        Assert.True(evaluation.Rmse < 0.2 * spread, $"test RMSE {evaluation.Rmse:F3} against a spread of {spread:F3}");
        Assert.Equal(RegressionMetrics.RootMeanSquaredError(evaluation.Predictions!, test.Targets.Values), evaluation.Rmse!.Value, 6);
        Assert.Equal(RegressionMetrics.MeanAbsoluteError(evaluation.Predictions!, test.Targets.Values), evaluation.Mae!.Value, 6);
    }

    [Fact]
    public async Task Classification_scores_every_epoch_by_the_cost_matrix_and_keeps_the_cheapest()
    {
        // Calling a "cold" row anything else costs 10; other mistakes cost 1.
        double[][] costs = [[0, 10, 10], [1, 0, 1], [1, 1, 0]];
        var objective = new Objective(MetricCatalog.Cost, costs, classCount: 3);
        var request = Request(ColorColumns, ColorTable(120, seed: 1), ColorTable(60, seed: 2), NewFolder(), epochs: 3, learningRate: 0.002)
            with { Objective = objective };

        var (outcome, seen) = await TrainAsync(request);

        Assert.Equal("cost", outcome.Metric);
        Assert.All(seen, r =>
        {
            Assert.Equal(60, r.ValConfusion!.Sum(row => row.Sum()));
            Assert.Equal(ClassificationMetrics.ExpectedCost(new ConfusionMatrix(r.ValConfusion!), costs), r.ValMetric, 12);
        });
        Assert.Equal(seen.Min(r => r.ValMetric), outcome.BestValMetric);
        Assert.Equal(seen.First(r => r.ValMetric == outcome.BestValMetric).Epoch, outcome.BestEpoch);
    }

    [Fact]
    public async Task A_cost_matrix_that_does_not_match_the_classes_is_refused_before_training()
    {
        var objective = new Objective(MetricCatalog.Cost, [[0, 1], [1, 0]]);
        var folder = NewFolder();
        var request = Request(ColorColumns, ColorTable(30, seed: 1), ColorTable(15, seed: 2), folder, epochs: 1) with { Objective = objective };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => TabularTrainer.TrainAsync(request, _ => Task.CompletedTask, CancellationToken.None));

        Assert.Contains("2x2 but the data has 3 classes", error.Message);
        Assert.Empty(Directory.Exists(folder) ? Directory.GetFiles(folder) : []);
    }

    [Fact]
    public async Task Regression_picks_the_best_epoch_by_mae_when_asked_and_lower_is_better()
    {
        var request = Request(LinearColumns, LinearTable(200, seed: 1), LinearTable(50, seed: 2), NewFolder(), epochs: 3, metric: RegressionMetrics.Mae);

        var (outcome, seen) = await TrainAsync(request);

        Assert.Equal(seen.Min(r => r.ValMetric), outcome.BestValMetric);
        Assert.Equal(seen.First(r => r.ValMetric == outcome.BestValMetric).Epoch, outcome.BestEpoch);
    }

    [Fact]
    public async Task Killed_after_epoch_one_and_resumed_gives_the_same_metrics_as_an_uninterrupted_run()
    {
        var train = ColorTable(200, seed: 1);
        var validation = ColorTable(60, seed: 2);
        var folder = NewFolder();
        using var kill = new CancellationTokenSource();
        var request = Request(ColorColumns, train, validation, folder, epochs: 3, batchNorm: true);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TabularTrainer.TrainAsync(request,
            r => { if (r.Epoch == 1) kill.Cancel(); return Task.CompletedTask; }, kill.Token));
        var (resumed, seen) = await TrainAsync(request);
        var (uninterrupted, _) = await TrainAsync(request with { CheckpointFolder = NewFolder() });

        Assert.Equal([1, 2, 3], seen.Select(r => r.Epoch));
        Assert.Equal(Metrics(uninterrupted.Epochs), Metrics(resumed.Epochs));
        Assert.Equal(uninterrupted.BestEpoch, resumed.BestEpoch);
        Assert.Equal(["best.weights", "epoch-3.optimizer", "epoch-3.weights", TabularTrainer.PlanFile, "state.json"],
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Hostile_table_trains_and_evaluates_to_finite_numbers()
    {
        TabularColumn[] columns =
        [
            new("kind", TabularColumnTypes.Categorical),
            new("size", TabularColumnTypes.Numeric),
            new("when", TabularColumnTypes.Date),
            new("note", TabularColumnTypes.Text),
        ];
        var rng = new Random(4);
        string?[] kinds = ["a", "b", "", null, "NA", "ü∂"];
        string?[] sizes = ["1", "", "1e300", "-1e300", "x", "NaN", "2.5", null];
        string?[] dates = ["2024-02-29", "", "31.12.1999", "not a date"];
        IReadOnlyDictionary<string, string?> RandomRow() => Row(
            ("kind", kinds[rng.Next(kinds.Length)]), ("size", sizes[rng.Next(sizes.Length)]),
            ("when", dates[rng.Next(dates.Length)]), ("note", ""));
        // One class has a single row; labels otherwise random, so there is little to learn but much to survive.
        var trainRows = Enumerable.Range(0, 40).Select(_ => RandomRow()).ToArray();
        var trainLabels = Enumerable.Range(0, 40).Select(i => i == 0 ? 2 : rng.Next(2)).ToArray();
        var train = new TabularExamples(trainRows, SupervisedTargets.Classes(trainLabels, 3));
        var validation = new TabularExamples([RandomRow(), RandomRow()], SupervisedTargets.Classes([0, 1], 3));
        var request = Request(columns, train, validation, NewFolder(), epochs: 2, batchNorm: true);
        var unseen = new TabularExamples(
            [Row(("kind", "never seen"), ("size", "1e308"), ("when", "2099-01-01")), Row()], SupervisedTargets.Classes([2, 0], 3));

        var (outcome, _) = await TrainAsync(request);
        var evaluation = TabularTrainer.Evaluate(request.Config.Architecture, outcome.BestWeightsPath, request.Plan, unseen, TestData.Cpu);

        Assert.All(outcome.Epochs, r => Assert.True(double.IsFinite(r.TrainLoss) && double.IsFinite(r.ValLoss)));
        Assert.All(evaluation.Probabilities!.SelectMany(p => p), p => Assert.True(float.IsFinite(p)));
        Assert.Contains(request.Plan.Dropped, d => d.Column == "note");
    }

    [Fact]
    public async Task Same_seed_gives_identical_metrics_and_another_seed_different_ones()
    {
        var train = LinearTable(100, seed: 1);
        var validation = LinearTable(30, seed: 2);

        var (first, _) = await TrainAsync(Request(LinearColumns, train, validation, NewFolder(), epochs: 2));
        var (second, _) = await TrainAsync(Request(LinearColumns, train, validation, NewFolder(), epochs: 2));
        var (other, _) = await TrainAsync(Request(LinearColumns, train, validation, NewFolder(), epochs: 2, seed: 4));

        Assert.Equal(Metrics(first.Epochs), Metrics(second.Epochs));
        Assert.NotEqual(Metrics(first.Epochs), Metrics(other.Epochs));
    }

    [Fact]
    public async Task Live_tensor_count_does_not_grow_across_repeated_trainings()
    {
        // Exact in TorchSharp 0.107: tensors created on this thread minus those disposed (the awaits complete synchronously).
        long Live() => TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var train = ColorTable(100, seed: 1);
        var validation = ColorTable(30, seed: 2);

        var afterRun = new List<long>();
        for (var run = 0; run < 3; run++)
        {
            await TrainAsync(Request(ColorColumns, train, validation, NewFolder(), epochs: 2, batchNorm: true));
            afterRun.Add(Live());
        }

        Assert.Equal(afterRun[0], afterRun[2]);
    }
}
