using AutoMLStudio.Engine.Learners;
using AutoMLStudio.Engine.Native;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Tests.Tabular;
using AutoMLStudio.Engine.Tests.Text;
using AutoMLStudio.Engine.Text;
using AutoMLStudio.Engine.Training;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Tests.Learners;

[Collection(TorchCollection.Name)]
public sealed class LearnerTests
{
    [Fact]
    public void Each_learner_serves_its_own_data_and_reads_back_every_candidate_it_proposes()
    {
        var table = TabularTestData.ColorTable(60, seed: 1);
        var plan = TabularPreprocessingPlan.Fit(TabularTestData.ColorColumns, table);
        var tokenizer = TextTokenizer.Fit(TextTestData.Reviews(60, seed: 2).Texts, maxVocabulary: 1000);
        DataProfile[] profiles =
        [
            new(PredictionTask.Classification, ClassCount: 3, MaxEpochs: 4, Plan: plan),
            new(PredictionTask.Classification, ClassCount: 2, MaxEpochs: 4, Tokenizer: tokenizer),
        ];

        Assert.Equal(["mlp", "text"], profiles.Select(p => LearnerCatalog.For(p).Name));
        foreach (var profile in profiles)
        {
            var learner = LearnerCatalog.For(profile);
            var space = learner.Space(profile);
            var strategy = SearchStrategies.Create("random", space, seed: 7, budget: 20);
            for (var number = 1; number <= 20; number++)
            {
                var candidate = learner.Decode(strategy.Ask(number), profile);
                Assert.True(candidate.Parameters > 0 && candidate.Flops > 0, $"{learner.Name} candidate {number} costs nothing");
                var point = learner.Encode(candidate.ConfigJson);
                Assert.True(space.Contains(point), $"{learner.Name} candidate {number} falls outside its space");
                Assert.Equal(candidate.ConfigJson, learner.Decode(point, profile).ConfigJson);
            }
        }
    }

    [Fact]
    public void A_profile_no_learner_serves_is_refused_in_words()
    {
        var error = Assert.Throws<ArgumentException>(() => LearnerCatalog.For(new DataProfile(PredictionTask.Classification, 2, 4)));

        Assert.Contains("No learner", error.Message);
    }

    [Fact]
    public async Task Each_learner_exports_what_it_trained_as_a_graph_that_gives_probabilities_of_its_classes()
    {
        TorchNative.EnsureLoaded();
        using var folders = new TempFolders();
        var folder = folders.New();
        var table = TabularTestData.ColorTable(40, seed: 3);
        var reviews = TextTestData.Reviews(40, seed: 4);
        var plan = TabularPreprocessingPlan.Fit(TabularTestData.ColorColumns, table);
        var tokenizer = TextTokenizer.Fit(reviews.Texts, maxVocabulary: 1000);
        (DataProfile Profile, RowExamples Rows)[] cases =
        [
            (new(PredictionTask.Classification, 3, MaxEpochs: 1, Plan: plan), new RowExamples(table.Rows, [.. table.Rows.Select(_ => (string?)null)], table.Targets)),
            (new(PredictionTask.Classification, 2, MaxEpochs: 1, Tokenizer: tokenizer), new RowExamples([.. reviews.Texts.Select(_ => (IReadOnlyDictionary<string, string?>)new Dictionary<string, string?>())], reviews.Texts, reviews.Targets)),
        ];

        foreach (var (profile, rows) in cases)
        {
            var learner = LearnerCatalog.For(profile);
            var candidate = learner.Decode(SearchStrategies.Create("random", learner.Space(profile), seed: 5, budget: 1).Ask(1), profile);
            var setup = new TrainingSetup(Path.Combine(folder, learner.Name), Seed: 6, CPU, Threads: 0, Objective: null, RegressionMetric: null);
            var outcome = await learner.TrainAsync(candidate.ConfigJson, profile, rows, rows, setup, _ => Task.CompletedTask, CancellationToken.None);

            var onnx = learner.ExportOnnx(candidate.ConfigJson, outcome.BestWeightsPath, target: null);

            using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnx);
            Assert.Equal(profile.ClassCount, session.OutputMetadata["probabilities"].Dimensions[^1]);
        }
    }
}
