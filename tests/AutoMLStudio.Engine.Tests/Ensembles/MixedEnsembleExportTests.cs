using AutoMLStudio.Engine.Ensembles;
using AutoMLStudio.Engine.Learners;
using AutoMLStudio.Engine.Native;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Tests.Onnx;
using AutoMLStudio.Engine.Training;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static AutoMLStudio.Engine.Tests.Learners.TableLearnerTests;

namespace AutoMLStudio.Engine.Tests.Ensembles;

/// <summary>An ensemble that mixes ML.NET's tree and linear models with an MLP exports one graph ONNX Runtime loads.</summary>
[Collection(TorchCollection.Name)]
public sealed class MixedEnsembleExportTests : IDisposable
{
    private static readonly (string Learner, double Weight)[] Members = [("lightgbm", 0.5), ("mlp", 0.3), ("linear", 0.2)];

    private readonly TempFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    [Theory]
    [InlineData("binary")]
    [InlineData("multiclass")]
    [InlineData("regression")]
    public async Task An_ensemble_of_lightgbm_mlp_and_linear_trials_exports_the_weighted_average_of_their_graphs(string task)
    {
        TorchNative.EnsureLoaded();
        var folder = _folders.New();
        var table = Table(task, 200, seed: 11);
        var plan = TabularPreprocessingPlan.Fit(Columns, table);
        var profile = new DataProfile(table.Targets.Task, table.Targets.ClassCount, MaxEpochs: 2, Plan: plan);
        var examples = new RowExamples(table.Rows, [.. table.Rows.Select(_ => (string?)null)], table.Targets);
        var members = new List<(int Trial, string Learner, string ConfigJson, double Weight)>();
        var weightFiles = new List<string>();
        foreach (var (name, weight) in Members)
        {
            var learner = LearnerCatalog.Named(name);
            var point = learner.StartingPoints(profile).FirstOrDefault() ?? SearchStrategies.Create("random", learner.Space(profile), seed: 8, budget: 1).Ask(1);
            var candidate = learner.Decode(point, profile);
            var setup = new TrainingSetup(Path.Combine(folder, name), Seed: 3, TestData.Cpu, Threads: 1, Objective: null, RegressionMetric: null);
            var outcome = await learner.TrainAsync(candidate.ConfigJson, profile, examples, examples, setup, _ => Task.CompletedTask, CancellationToken.None);
            members.Add((members.Count + 1, name, candidate.ConfigJson, weight));
            weightFiles.Add(outcome.BestWeightsPath);
        }
        var ensemble = LearnerCatalog.Named(EnsembleLearner.LearnerName);
        var config = EnsembleLearner.StoredConfiguration(members);
        var bundle = Path.Combine(folder, "best.weights");
        EnsembleBundle.Write(bundle, weightFiles);
        var features = plan.Transform(table.Rows);
        var output = task == "regression" ? "value" : "probabilities";

        var graph = ensemble.ExportOnnx(config, bundle, plan.Target);
        var merged = Run(graph, features, output);

        var own = members.Select((m, i) => LearnerCatalog.Named(m.Learner).ExportOnnx(m.ConfigJson, weightFiles[i], plan.Target)).ToList();
        Assert.All(own.Append(graph), g => Assert.Equal(13, OnnxModelFacts.Opsets(g)[""]));
        var answers = own.Select(g => Run(g, features, output)).ToList();
        Assert.All(answers, a => Assert.Equal(merged.Length, a.Length));
        // The members answer differently, so the average is not any one of them.
        Assert.True(answers[0].Zip(answers[1], (a, b) => Math.Abs(a - b)).Max() > 1e-3, $"{task}: the LightGBM and MLP members answer alike");
        for (var i = 0; i < merged.Length; i++)
        {
            var expected = members.Select((m, k) => m.Weight * answers[k][i]).Sum();
            Assert.True(Math.Abs(expected - merged[i]) <= 1e-5, $"{task}: output {i} is {merged[i]}, the weighted average of the members' {expected}");
        }

        // The ensemble's own evaluation (each member's, averaged) agrees with its graph.
        var evaluation = ensemble.Evaluate(config, bundle, profile, examples, TestData.Cpu);
        double[] evaluated = evaluation.Probabilities is { } p ? [.. p.SelectMany(row => row.Select(v => (double)v))] : [.. evaluation.Predictions!];
        Assert.Equal(merged.Length, evaluated.Length);
        for (var i = 0; i < merged.Length; i++) Assert.True(Math.Abs(evaluated[i] - merged[i]) <= 1e-4, $"{task}: output {i} is {merged[i]}, evaluated {evaluated[i]}");
    }

    private static float[] Run(byte[] model, TabularFeatures features, string output)
    {
        using var session = new InferenceSession(model);
        using var results = session.Run(
        [
            NamedOnnxValue.CreateFromTensor("numeric", new DenseTensor<float>(features.Numeric, [features.Count, features.NumericWidth])),
            NamedOnnxValue.CreateFromTensor("categorical", new DenseTensor<long>(features.Categorical, [features.Count, features.CategoricalWidth])),
        ]);
        return [.. results.Single(r => r.Name == output).AsEnumerable<float>()];
    }
}
