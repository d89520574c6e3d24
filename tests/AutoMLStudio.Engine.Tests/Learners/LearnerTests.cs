using System.Text.Json.Nodes;
using AutoMLStudio.Engine.Backbones;
using AutoMLStudio.Engine.Learners;
using AutoMLStudio.Engine.Native;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;
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
            new(PredictionTask.Classification, ClassCount: 3, MaxEpochs: 4, Images: Images16),
            new(PredictionTask.Classification, ClassCount: 3, MaxEpochs: 4, Plan: plan),
            new(PredictionTask.Classification, ClassCount: 2, MaxEpochs: 4, Tokenizer: tokenizer),
        ];

        Assert.Equal(["cnn", "lightgbm", "text"], profiles.Select(p => LearnerCatalog.For(p).Name));
        Assert.Equal(["cnn", "backbone", "lightgbm", "linear", "forest", "mlp", "text", "tfidf_linear", "ensemble"], LearnerCatalog.All.Select(l => l.Name));
        // The ensemble combines trained trials: no data is its own, so the search never proposes it.
        Assert.Equal(["cnn", "backbone", "lightgbm", "linear", "forest", "mlp", "text", "tfidf_linear"], LearnerCatalog.Trainable.Select(l => l.Name));
        Assert.DoesNotContain(profiles, LearnerCatalog.Named("ensemble").Serves);
        foreach (var (profile, learner) in LearnerCatalog.Trainable.Select(l => (profiles.First(l.Serves), l)))
        {
            var space = learner.Space(profile);
            var strategy = SearchStrategies.Create("random", space, seed: 7, budget: 20);
            for (var number = 1; number <= 20; number++)
            {
                var candidate = learner.Decode(strategy.Ask(number), profile);
                Assert.True(candidate.Parameters > 0 && candidate.Flops > 0, $"{learner.Name} candidate {number} costs nothing");
                var point = learner.Encode(candidate.ConfigJson);
                Assert.True(space.Contains(point), $"{learner.Name} candidate {number} falls outside its space");
                Assert.Equal(candidate.ConfigJson, learner.Decode(point, profile).ConfigJson);

                // What the API shows is the learner's reading of the stored text, not the text: a field it no longer knows goes.
                Assert.Equal(candidate.ConfigJson, learner.Configuration(candidate.ConfigJson).GetRawText());
                var stored = JsonNode.Parse(candidate.ConfigJson)!.AsObject();
                stored["retiredSetting"] = 1;
                Assert.False(learner.Configuration(stored.ToJsonString()).TryGetProperty("retiredSetting", out _));
            }
        }
    }

    // What a search of 16x16 grey images of three classes knows before training.
    private static readonly SearchSpaceContext Images16 = new(InputChannels: 1, InputSize: 16, ClassCount: 3, Mean: [0.5f], Std: [0.3f], MaxEpochs: 1);

    [Fact]
    public void A_profile_no_learner_serves_is_refused_in_words()
    {
        var error = Assert.Throws<ArgumentException>(() => LearnerCatalog.For(new DataProfile(PredictionTask.Classification, 2, 4)));

        Assert.Contains("No learner", error.Message);
    }

    [Fact]
    public async Task Each_learner_decodes_costs_trains_an_epoch_and_exports_a_graph_that_onnx_runtime_runs_as_it_predicts()
    {
        TorchNative.EnsureLoaded();
        using var folders = new TempFolders();
        var folder = folders.New();
        var table = TabularTestData.ColorTable(40, seed: 3);
        var reviews = TextTestData.Reviews(40, seed: 4);
        var images = new ImageExamples(TestData.Stripes(40, 16, seed: 5), ClassCount: 3);
        var plan = TabularPreprocessingPlan.Fit(TabularTestData.ColorColumns, table);
        var tokenizer = TextTokenizer.Fit(reviews.Texts, maxVocabulary: 1000);
        var imageProfile = new DataProfile(PredictionTask.Classification, 3, MaxEpochs: 1, Images: Images16);
        (DataProfile Profile, LearnerExamples Examples)[] cases =
        [
            (imageProfile, images),
            (new(PredictionTask.Classification, 3, MaxEpochs: 1, Plan: plan), new RowExamples(table.Rows, [.. table.Rows.Select(_ => (string?)null)], table.Targets)),
            (new(PredictionTask.Classification, 2, MaxEpochs: 1, Tokenizer: tokenizer), new RowExamples([.. reviews.Texts.Select(_ => (IReadOnlyDictionary<string, string?>)new Dictionary<string, string?>())], reviews.Texts, reviews.Targets)),
        ];

        foreach (var learner in LearnerCatalog.Trainable)
        {
            var (profile, examples) = cases.First(c => learner.Serves(c.Profile));
            var candidate = learner.Decode(SearchStrategies.Create("random", learner.Space(profile), seed: 5, budget: 1).Ask(1), profile);
            Assert.True(candidate.Parameters > 0 && candidate.Flops > 0, $"{learner.Name}'s candidate costs nothing");
            var setup = new TrainingSetup(Path.Combine(folder, learner.Name), Seed: 6, CPU, Threads: 0, Objective: null, RegressionMetric: null,
                InitialWeights: learner is BackboneLearner ? ImportedBackbone(candidate.ConfigJson, folder) : null);
            var seen = new List<SupervisedEpochReport>();
            var outcome = await learner.TrainAsync(candidate.ConfigJson, profile, examples, examples, setup, r => { seen.Add(r); return Task.CompletedTask; },
                CancellationToken.None);
            Assert.Equal([1], seen.Select(r => r.Epoch));
            Assert.Equal(candidate.Parameters, outcome.Parameters);

            var onnx = learner.ExportOnnx(candidate.ConfigJson, outcome.BestWeightsPath, target: null);

            using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnx);
            Assert.Equal(profile.ClassCount, session.OutputMetadata["probabilities"].Dimensions[^1]);
            if (examples is ImageExamples { Images: var data })
            {
                // The graph gives what the learner's own evaluation gives for the first image.
                var expected = learner.Evaluate(candidate.ConfigJson, outcome.BestWeightsPath, profile, examples, CPU).Probabilities![0];
                var pixels = new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(data.Pixels.AsMemory(0, data.ImageLength), [1, data.Channels, data.Size, data.Size]);
                using var results = session.Run([Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor("pixels", pixels)]);
                var actual = results.Single(r => r.Name == "probabilities").AsEnumerable<float>().ToArray();
                Assert.Equal(expected.Length, actual.Length);
                for (var c = 0; c < expected.Length; c++) Assert.Equal(expected[c], actual[c], 3);
            }
        }
    }

    // What an admin imports for the candidate's backbone: ImageNet's layout with its 1000-class head, in TorchSharp's format.
    private static string ImportedBackbone(string configJson, string folder)
    {
        var config = System.Text.Json.JsonSerializer.Deserialize<TrialConfig>(configJson, EngineJson.Options)!;
        var path = Path.Combine(folder, "imported.dat");
        manual_seed(11);
        using var model = BackboneFactory.Build(new BackboneSpec(config.Architecture.Backbone!, 3, 64, BackboneArchitectures.ImageNetClasses));
        model.save(path);
        return path;
    }
}
