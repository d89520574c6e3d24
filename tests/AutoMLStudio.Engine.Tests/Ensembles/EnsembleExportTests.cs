using AutoMLStudio.Engine.Ensembles;
using AutoMLStudio.Engine.Learners;
using AutoMLStudio.Engine.Native;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Tests.Tabular;
using AutoMLStudio.Engine.Training;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Tests.Ensembles;

[Collection(TorchCollection.Name)]
public sealed class EnsembleExportTests
{
    [Fact]
    public async Task The_merged_graph_of_two_trained_mlps_answers_the_weighted_average_of_their_own_graphs()
    {
        TorchNative.EnsureLoaded();
        using var folders = new TempFolders();
        var folder = folders.New();
        var table = TabularTestData.ColorTable(40, seed: 3);
        var plan = TabularPreprocessingPlan.Fit(TabularTestData.ColorColumns, table);
        var profile = new DataProfile(PredictionTask.Classification, 3, MaxEpochs: 2, Plan: plan);
        var examples = new RowExamples(table.Rows, [.. table.Rows.Select(_ => (string?)null)], table.Targets);
        var mlp = LearnerCatalog.Named("mlp");
        var strategy = SearchStrategies.Create("random", mlp.Space(profile), seed: 8, budget: 2);
        var members = new List<(int Trial, string Learner, string ConfigJson, double Weight)>();
        var weightFiles = new List<string>();
        for (var number = 1; number <= 2; number++)
        {
            var candidate = mlp.Decode(strategy.Ask(number), profile);
            var setup = new TrainingSetup(Path.Combine(folder, $"trial{number}"), Seed: number, CPU, Threads: 0, Objective: null, RegressionMetric: null);
            var outcome = await mlp.TrainAsync(candidate.ConfigJson, profile, examples, examples, setup, _ => Task.CompletedTask, CancellationToken.None);
            members.Add((number, "mlp", candidate.ConfigJson, number == 1 ? 0.7 : 0.3));
            weightFiles.Add(outcome.BestWeightsPath);
        }
        var ensemble = LearnerCatalog.Named(EnsembleLearner.LearnerName);
        var config = EnsembleLearner.StoredConfiguration(members);
        var bundle = Path.Combine(folder, "best.weights");
        EnsembleBundle.Write(bundle, weightFiles);
        var features = plan.Transform(table.Rows);
        NamedOnnxValue[] inputs =
        [
            NamedOnnxValue.CreateFromTensor("numeric", new DenseTensor<float>(features.Numeric, [features.Count, features.NumericWidth])),
            NamedOnnxValue.CreateFromTensor("categorical", new DenseTensor<long>(features.Categorical, [features.Count, features.CategoricalWidth])),
        ];

        var merged = Run(ensemble.ExportOnnx(config, bundle, target: null), inputs);

        var first = Run(mlp.ExportOnnx(members[0].ConfigJson, weightFiles[0], null), inputs);
        var second = Run(mlp.ExportOnnx(members[1].ConfigJson, weightFiles[1], null), inputs);
        Assert.Equal(first.Length, merged.Length);
        Assert.NotEqual(first, second);
        for (var i = 0; i < merged.Length; i++) Assert.Equal(0.7 * first[i] + 0.3 * second[i], merged[i], 1e-5);

        // The ensemble's own evaluation (through torch) agrees with its graph, and names its members in words.
        var evaluated = ensemble.Evaluate(config, bundle, profile, examples, CPU).Probabilities!;
        for (var i = 0; i < merged.Length; i++) Assert.Equal(evaluated[i / 3][i % 3], merged[i], 1e-4);
        Assert.StartsWith("Ensemble of 2: 0.7 × trial 1 (mlp: ", ensemble.Describe(config).Architecture);
        Assert.Contains(" + 0.3 × trial 2 (mlp: ", ensemble.Describe(config).Architecture);
        Assert.Equal("ensemble", ensemble.Configuration(config).GetProperty("learner").GetString());
    }

    [Fact]
    public void The_ensemble_is_never_proposed_and_cannot_be_trained()
    {
        var ensemble = LearnerCatalog.Named(EnsembleLearner.LearnerName);

        Assert.DoesNotContain(ensemble, LearnerCatalog.Trainable);
        Assert.Throws<InvalidDataException>(() => ensemble.Encode(EnsembleLearner.StoredConfiguration([(1, "mlp", "{}", 1.0)])));
    }

    private static float[] Run(byte[] model, IReadOnlyCollection<NamedOnnxValue> inputs)
    {
        using var session = new InferenceSession(model);
        using var results = session.Run(inputs);
        return [.. results.Single(r => r.Name == "probabilities").AsEnumerable<float>()];
    }
}
