using System.Globalization;
using AutoMLStudio.Engine.Learners;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Tests.Onnx;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Training;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static AutoMLStudio.Engine.Tests.Tabular.TabularTestData;

namespace AutoMLStudio.Engine.Tests.Learners;

/// <summary>The tree and linear learners on a small real table: they learn, resume exactly, and export what they predict.</summary>
public sealed class TableLearnerTests : IDisposable
{
    internal static readonly TabularColumn[] Columns =
    [
        new("x1", TabularColumnTypes.Numeric),
        new("x2", TabularColumnTypes.Numeric),
        new("color", TabularColumnTypes.Categorical),
    ];

    private readonly TempFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var learner in new[] { "lightgbm", "linear", "forest" })
            foreach (var task in new[] { "binary", "multiclass", "regression" })
                cases.Add(learner, task);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_table_learner_learns_resumes_exactly_and_exports_a_graph_within_1e4_of_its_evaluation(string name, string task)
    {
        var (train, validation, test) = (Table(task, 400, seed: 1), Table(task, 150, seed: 2), Table(task, 150, seed: 3));
        var plan = TabularPreprocessingPlan.Fit(Columns, train);
        var profile = new DataProfile(train.Targets.Task, train.Targets.ClassCount, MaxEpochs: 3, Plan: plan);
        var learner = LearnerCatalog.Named(name);
        Assert.True(learner.Serves(profile));
        // Its well-known defaults: the last of its starting points.
        var candidate = learner.Decode(learner.StartingPoints(profile)[^1], profile);
        var stages = name == "linear" ? 1 : 3;

        // Killed after the first stage, then trained again in the same folder.
        var folder = _folders.New();
        using var kill = new CancellationTokenSource();
        var killed = learner.TrainAsync(candidate.ConfigJson, profile, Rows(train), Rows(validation), Setup(folder), r =>
        {
            if (r.Epoch == 1) kill.Cancel();
            return Task.CompletedTask;
        }, kill.Token);
        if (stages > 1) await Assert.ThrowsAnyAsync<OperationCanceledException>(() => killed);
        else await killed;
        var (resumed, seen) = await TrainAsync(learner, candidate.ConfigJson, profile, train, validation, folder);
        var (uninterrupted, _) = await TrainAsync(learner, candidate.ConfigJson, profile, train, validation, _folders.New());

        Assert.Equal(Enumerable.Range(1, stages), seen.Select(r => r.Epoch));
        Assert.Equal(Reports(uninterrupted.Epochs), Reports(resumed.Epochs));
        Assert.Equal(uninterrupted.BestEpoch, resumed.BestEpoch);
        Assert.Equal(candidate.Parameters, resumed.Parameters);
        var evaluation = learner.Evaluate(candidate.ConfigJson, resumed.BestWeightsPath, profile, Rows(test), TestData.Cpu);
        var again = learner.Evaluate(candidate.ConfigJson, uninterrupted.BestWeightsPath, profile, Rows(test), TestData.Cpu);
        Assert.Equal(Outputs(again), Outputs(evaluation));

        // It learns: well above the majority class, or well below the spread of the targets.
        if (test.Targets.Task == PredictionTask.Classification)
        {
            var majority = test.Targets.Labels.GroupBy(l => l).Max(g => g.Count()) / (double)test.Targets.Count;
            Assert.True(evaluation.Accuracy > majority + 0.15, $"{name} {task}: test accuracy {evaluation.Accuracy:F3}, majority {majority:F3}");
        }
        else
        {
            var spread = StandardDeviation(test.Targets.Values);
            Assert.True(evaluation.Rmse < 0.6 * spread, $"{name} {task}: test RMSE {evaluation.Rmse:F3}, spread {spread:F3}");
        }

        // The exported graph, in ONNX Runtime on the test rows, answers what the evaluation does.
        var onnx = learner.ExportOnnx(candidate.ConfigJson, resumed.BestWeightsPath, plan.Target);
        // At the studio's one opset, like the neural graphs, with the converter's ai.onnx.ml as it wrote it.
        Assert.Equal(new Dictionary<string, long> { [""] = 13, ["ai.onnx.ml"] = 2 }, OnnxModelFacts.Opsets(onnx));
        var exported = Run(onnx, plan.Transform(test.Rows), test.Targets.Task);
        var expected = Outputs(evaluation);
        Assert.Equal(expected.Length, exported.Length);
        var worst = expected.Zip(exported).SelectMany(p => p.First.Zip(p.Second, (e, a) => Math.Abs(e - a))).Max();
        Assert.True(worst <= 1e-4, $"{name} {task}: the ONNX graph differs from the evaluation by up to {worst:E2}");
    }

    [Fact]
    public void Table_learners_start_cheap_and_each_starting_point_is_a_candidate_of_their_space()
    {
        var train = Table("multiclass", 100, seed: 4);
        var profile = new DataProfile(PredictionTask.Classification, 3, MaxEpochs: 4, Plan: TabularPreprocessingPlan.Fit(Columns, train));
        foreach (var learner in new[] { "lightgbm", "linear", "forest" }.Select(LearnerCatalog.Named))
        {
            var points = learner.StartingPoints(profile);
            Assert.NotEmpty(points);
            Assert.All(points, p => Assert.True(learner.Space(profile).Contains(p), $"{learner.Name}: {p} falls outside its space"));
            var costs = points.Select(p => learner.Decode(p, profile).Parameters).ToList();
            Assert.Equal(costs.Order(), costs);
        }

        var defaults = LearnerCatalog.Named("lightgbm").Decode(LearnerCatalog.Named("lightgbm").StartingPoints(profile)[^1], profile);
        // 100 rounds of 31 leaves for each of 3 classes: 100 * 3 * 61 nodes.
        Assert.Equal(100 * 3 * 61, defaults.Parameters);
        Assert.Equal("LightGBM, 100 trees per class of up to 31 leaves, learning rate 0.1", LearnerCatalog.Named("lightgbm").Describe(defaults.ConfigJson).Architecture);
    }

    [Theory]
    [InlineData("lightgbm")]
    [InlineData("linear")]
    [InlineData("forest")]
    public async Task A_tiny_table_missing_a_class_trains_and_exports_every_class(string name)
    {
        // Twelve rows of classes 0 and 1 only, though the task has three; one row in three has no x2.
        var train = Table("multiclass", 12, seed: 6);
        var labels = train.Targets.Labels.Select(l => Math.Min(l, 1)).ToArray();
        train = new TabularExamples(train.Rows, SupervisedTargets.Classes(labels, 3));
        var plan = TabularPreprocessingPlan.Fit(Columns, train);
        var profile = new DataProfile(PredictionTask.Classification, 3, MaxEpochs: 2, Plan: plan);
        var learner = LearnerCatalog.Named(name);
        var candidate = learner.Decode(learner.StartingPoints(profile)[0], profile);

        var (outcome, _) = await TrainAsync(learner, candidate.ConfigJson, profile, train, train, _folders.New());
        var evaluation = learner.Evaluate(candidate.ConfigJson, outcome.BestWeightsPath, profile, Rows(train), TestData.Cpu);
        var exported = Run(learner.ExportOnnx(candidate.ConfigJson, outcome.BestWeightsPath, null), plan.Transform(train.Rows), PredictionTask.Classification);

        Assert.All(evaluation.Probabilities!, p => Assert.Equal(3, p.Length));
        Assert.True(double.IsFinite(evaluation.Loss), $"{name}: loss {evaluation.Loss}");
        Assert.All(exported, p => Assert.Equal(3, p.Length));
    }

    [Theory]
    [InlineData("lightgbm")]
    [InlineData("forest")]
    public async Task A_tree_learners_first_candidate_splits_a_thirty_row_table(string name)
    {
        // The cheap first candidate asks for 10 to 20 rows per leaf: on 30 rows that must not leave one leaf (the class prior).
        var (train, test) = (Table("binary", 30, seed: 8), Table("binary", 200, seed: 9));
        var plan = TabularPreprocessingPlan.Fit(Columns, train);
        var profile = new DataProfile(PredictionTask.Classification, 2, MaxEpochs: 2, Plan: plan);
        var learner = LearnerCatalog.Named(name);
        var candidate = learner.Decode(learner.StartingPoints(profile)[0], profile);

        var (outcome, _) = await TrainAsync(learner, candidate.ConfigJson, profile, train, train, _folders.New());
        var evaluation = learner.Evaluate(candidate.ConfigJson, outcome.BestWeightsPath, profile, Rows(test), TestData.Cpu);

        var majority = test.Targets.Labels.GroupBy(l => l).Max(g => g.Count()) / (double)test.Targets.Count;
        Assert.True(evaluation.Accuracy > majority + 0.15, $"{name}: test accuracy {evaluation.Accuracy:F3}, majority {majority:F3}");
    }

    private TrainingSetup Setup(string folder) => new(folder, Seed: 5, TestData.Cpu, Threads: 1, Objective: null, RegressionMetric: null);

    private async Task<(SupervisedTrainingOutcome Outcome, List<SupervisedEpochReport> Seen)> TrainAsync(ILearner learner, string config, DataProfile profile,
        TabularExamples train, TabularExamples validation, string folder)
    {
        var seen = new List<SupervisedEpochReport>();
        var outcome = await learner.TrainAsync(config, profile, Rows(train), Rows(validation), Setup(folder), r => { seen.Add(r); return Task.CompletedTask; },
            CancellationToken.None);
        return (outcome, seen);
    }

    private static object Reports(IEnumerable<SupervisedEpochReport> reports) => reports.Select(r => (r.Epoch, r.TrainLoss, r.ValLoss, r.ValMetric)).ToList();

    private static RowExamples Rows(TabularExamples table) => new(table.Rows, [.. table.Rows.Select(_ => (string?)null)], table.Targets);

    private static double[][] Outputs(SupervisedEvaluation evaluation) =>
        evaluation.Probabilities?.Select(p => p.Select(v => (double)v).ToArray()).ToArray() ?? [.. evaluation.Predictions!.Select(v => new[] { v })];

    private static double[][] Run(byte[] onnx, TabularFeatures features, PredictionTask task)
    {
        using var session = new InferenceSession(onnx);
        using var results = session.Run(
        [
            NamedOnnxValue.CreateFromTensor("numeric", new DenseTensor<float>(features.Numeric, [features.Count, features.NumericWidth])),
            NamedOnnxValue.CreateFromTensor("categorical", new DenseTensor<long>(features.Categorical, [features.Count, features.CategoricalWidth])),
        ]);
        var output = results.Single(r => r.Name == (task == PredictionTask.Classification ? "probabilities" : "value")).AsTensor<float>();
        var width = output.Dimensions[1];
        return [.. Enumerable.Range(0, features.Count).Select(i => Enumerable.Range(0, width).Select(j => (double)output[i, j]).ToArray())];
    }

    // x1, x2 standard normal (x2 missing in about one row of eight), a color (missing in about one of ten) that shifts
    // the score: two classes split at 0, three at -1 and 1, or the score itself with a little noise.
    internal static TabularExamples Table(string task, int count, int seed)
    {
        var rng = new Random(seed);
        var shifts = new Dictionary<string, double> { ["red"] = 1.5, ["green"] = 0, ["blue"] = -1.5 };
        var rows = new List<IReadOnlyDictionary<string, string?>>();
        var (labels, values) = (new int[count], new double[count]);
        for (var i = 0; i < count; i++)
        {
            double x1 = Normal(rng), x2 = Normal(rng);
            var color = Colors[rng.Next(Colors.Length)];
            var score = 2 * x1 - x2 + shifts[color] + 0.3 * Normal(rng);
            (labels[i], values[i]) = (task == "binary" ? (score > 0 ? 1 : 0) : score < -1 ? 0 : score < 1 ? 1 : 2, score);
            rows.Add(Row(("x1", Number(x1)), ("x2", rng.Next(8) == 0 ? "" : Number(x2)), ("color", rng.Next(10) == 0 ? null : color)));
        }
        return new TabularExamples(rows, task == "regression" ? SupervisedTargets.Numbers(values)
            : SupervisedTargets.Classes(labels, task == "binary" ? 2 : 3));
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
