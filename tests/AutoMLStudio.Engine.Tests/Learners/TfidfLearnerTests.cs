using System.Text.Json;
using AutoMLStudio.Engine.Learners;
using AutoMLStudio.Engine.Native;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Text;
using AutoMLStudio.Engine.Training;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AutoMLStudio.Engine.Tests.Learners;

[Collection(TorchCollection.Name)]
public sealed class TfidfLearnerTests : IDisposable
{
    private readonly TempFolders _folders = new();
    private readonly TfidfLearner _learner = new();

    public void Dispose() => _folders.Dispose();

    // Three topics in short sentences written for this test; every fourth sentence of a topic is held out.
    private static readonly string[][] Topics =
    [
        [
            "The striker scored a late goal and the team won the match",
            "Our goalkeeper saved a penalty in the second half",
            "The coach picked a new captain before the season started",
            "Fans sang in the stadium as the players warmed up",
            "The referee showed a red card to the defender",
            "They won the league after a long season of hard matches",
            "The team trained on the pitch every morning before the final",
            "A late goal from the striker sent the fans home happy",
            "The defender blocked the shot and the goalkeeper caught the ball",
            "The match ended in a draw after extra time and penalties",
            "The captain lifted the cup in front of the fans",
            "Players ran laps of the pitch while the coach watched",
            "The team lost the final on penalties after a goal was ruled out",
            "The striker missed a penalty but scored a goal later in the match",
            "The goalkeeper and the defender argued with the referee",
            "The season ends with a final in the big stadium",
        ],
        [
            "Chop the onions and fry them in butter until golden",
            "Bake the bread in a hot oven for forty minutes",
            "Season the soup with salt and pepper before serving",
            "Whisk the eggs with sugar and fold in the flour",
            "Simmer the sauce slowly and stir it with a spoon",
            "Roast the chicken with garlic and lemon in the oven",
            "Add a pinch of salt to the boiling water for the pasta",
            "Knead the dough and let the bread rise for an hour",
            "Fry the garlic in olive oil and add the chopped tomatoes",
            "Serve the soup hot with fresh bread and butter",
            "Mix the flour, sugar and eggs into a smooth batter",
            "Stir the pasta into the sauce and add pepper",
            "Bake the cake in the oven until a spoon comes out clean",
            "Melt the butter in a pan and fry the onions with garlic",
            "Boil the pasta in salted water and drain it",
            "Roast the tomatoes with olive oil, salt and pepper",
        ],
        [
            "The server crashed after the update to the database",
            "Restart the computer and install the latest software update",
            "The program reads the file and writes the results to the database",
            "Our network was slow because the router dropped packets",
            "The compiler found a bug in the code before the release",
            "Save the file before you close the program",
            "The laptop needs more memory to run the software",
            "The database query was slow until we added an index",
            "Install the driver and restart the computer",
            "The code review found a bug in the network software",
            "The server sends the file to the laptop over the network",
            "The program uses too much memory when the file is large",
            "The update fixed a bug that crashed the server",
            "Compile the code and run the program on the laptop",
            "The router and the server share the same network",
            "Back up the database before you install the update",
        ],
    ];

    private static (TextExamples Train, TextExamples Test) Sentences()
    {
        var (train, trainLabels, test, testLabels) = (new List<string?>(), new List<int>(), new List<string?>(), new List<int>());
        for (var topic = 0; topic < Topics.Length; topic++)
            for (var i = 0; i < Topics[topic].Length; i++)
            {
                var (texts, labels) = i % 4 == 3 ? (test, testLabels) : (train, trainLabels);
                texts.Add(Topics[topic][i]);
                labels.Add(topic);
            }
        return (new TextExamples(train, SupervisedTargets.Classes([.. trainLabels], 3)), new TextExamples(test, SupervisedTargets.Classes([.. testLabels], 3)));
    }

    private static RowExamples Rows(TextExamples examples) =>
        new([.. examples.Texts.Select(_ => (IReadOnlyDictionary<string, string?>)new Dictionary<string, string?>())], examples.Texts, examples.Targets);

    private static DataProfile Profile(TextExamples train, int epochs) =>
        new(PredictionTask.Classification, ClassCount: 3, MaxEpochs: epochs, Tokenizer: TextTokenizer.Fit(train.Texts, maxVocabulary: 1000, minCount: 1));

    private async Task<(SupervisedTrainingOutcome Outcome, List<SupervisedEpochReport> Seen)> TrainAsync(string configJson, DataProfile profile,
        TextExamples train, TextExamples validation, string folder, CancellationToken cancellationToken = default, Action<SupervisedEpochReport>? after = null)
    {
        var seen = new List<SupervisedEpochReport>();
        var setup = new TrainingSetup(folder, Seed: 3, TestData.Cpu, Threads: 1, Objective: null, RegressionMetric: null);
        var outcome = await _learner.TrainAsync(configJson, profile, Rows(train), Rows(validation), setup,
            r => { seen.Add(r); after?.Invoke(r); return Task.CompletedTask; }, cancellationToken);
        return (outcome, seen);
    }

    [Fact]
    public async Task Learns_three_topics_from_short_sentences_well_above_chance()
    {
        var (train, test) = Sentences();
        var profile = Profile(train, epochs: 8);
        var candidate = _learner.Decode(_learner.StartingPoints(profile)[0], profile);

        var (outcome, seen) = await TrainAsync(candidate.ConfigJson, profile, train, train, _folders.New());
        var evaluation = _learner.Evaluate(candidate.ConfigJson, outcome.BestWeightsPath, profile, Rows(test), TestData.Cpu);

        // Chance is a third; twelve held-out sentences with words shared across topics ("the", "a", "and").
        Assert.True(evaluation.Accuracy >= 0.8, $"test accuracy {evaluation.Accuracy:P1}");
        Assert.True(seen[^1].TrainLoss < seen[0].TrainLoss, "the training loss did not fall");
        Assert.Equal(12, evaluation.ConfusionMatrix!.Sum(r => r.Sum()));
        Assert.All(evaluation.Probabilities!, p => Assert.Equal(1, p.Sum(), 4));
        Assert.Equal(candidate.Parameters, outcome.Parameters);
        Assert.Equal(profile.Tokenizer!.ToJson(), File.ReadAllText(Path.Combine(Path.GetDirectoryName(outcome.BestWeightsPath)!, TextTrainer.TokenizerFile)));
    }

    [Fact]
    public async Task Killed_after_epoch_one_and_resumed_gives_the_same_epochs_and_weights_as_an_uninterrupted_run()
    {
        var (train, test) = Sentences();
        var profile = Profile(train, epochs: 3);
        var configJson = _learner.Decode(_learner.StartingPoints(profile)[0], profile).ConfigJson;
        var folder = _folders.New();
        using var kill = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            TrainAsync(configJson, profile, train, test, folder, kill.Token, after: r => { if (r.Epoch == 1) kill.Cancel(); }));
        var (resumed, seen) = await TrainAsync(configJson, profile, train, test, folder);
        var (uninterrupted, _) = await TrainAsync(configJson, profile, train, test, _folders.New());

        Assert.Equal([1, 2, 3], seen.Select(r => r.Epoch));
        Assert.Equal(uninterrupted.Epochs.Select(r => (r.TrainLoss, r.ValLoss, r.ValMetric)), resumed.Epochs.Select(r => (r.TrainLoss, r.ValLoss, r.ValMetric)));
        Assert.Equal(uninterrupted.BestEpoch, resumed.BestEpoch);
        Assert.Equal(
            _learner.Evaluate(configJson, uninterrupted.BestWeightsPath, profile, Rows(test), TestData.Cpu).Probabilities!.SelectMany(p => p),
            _learner.Evaluate(configJson, resumed.BestWeightsPath, profile, Rows(test), TestData.Cpu).Probabilities!.SelectMany(p => p));
    }

    [Fact]
    public async Task The_onnx_export_reads_the_ids_hosting_sends_and_gives_evaluates_probabilities_within_1e4()
    {
        var (train, test) = Sentences();
        var profile = Profile(train, epochs: 4);
        var configJson = _learner.Decode(_learner.StartingPoints(profile)[0], profile).ConfigJson;
        var (outcome, _) = await TrainAsync(configJson, profile, train, train, _folders.New());
        // Held-out sentences, plus what hosting must also answer: an empty text, unknown words only, a word repeated.
        var texts = new TextExamples([.. test.Texts, "", "zebra quantum", "goal goal goal goal bread"],
            SupervisedTargets.Classes([.. test.Targets.Labels, 0, 1, 0], 3));
        var expected = _learner.Evaluate(configJson, outcome.BestWeightsPath, profile, Rows(texts), TestData.Cpu).Probabilities!;

        // Hosting reads the stored configuration as any text model's and encodes with its architecture (TextInstances).
        var architecture = JsonSerializer.Deserialize<TextTrialConfig>(configJson, EngineJson.Options)!.Architecture;
        var encoded = texts.Texts.Select(t => architecture.Encode(profile.Tokenizer!, t)).ToArray();
        Assert.Contains(encoded, ids => ids.Any(id => id >= architecture.VocabularySize)); // word pairs reach the graph
        var length = Math.Max(1, encoded.Max(e => e.Length));
        var ids = new long[encoded.Length * length];
        for (var i = 0; i < encoded.Length; i++)
            for (var j = 0; j < encoded[i].Length; j++) ids[i * length + j] = encoded[i][j];

        using var session = new InferenceSession(_learner.ExportOnnx(configJson, outcome.BestWeightsPath, target: null));
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("ids", new DenseTensor<long>(ids, [encoded.Length, length]))]);
        var actual = results.Single(r => r.Name == "probabilities").AsTensor<float>();

        Assert.Equal([encoded.Length, 3], actual.Dimensions.ToArray());
        for (var i = 0; i < encoded.Length; i++)
            for (var c = 0; c < 3; c++)
                Assert.True(Math.Abs(expected[i][c] - actual[i, c]) <= 1e-4, $"text {i}, class {c}: evaluate {expected[i][c]}, onnx {actual[i, c]}");
        // The empty text and the unknown words have no features: both are the bias alone.
        Assert.Equal(actual[test.Texts.Count, 0], actual[test.Texts.Count + 1, 0], 6);
    }

    [Fact]
    public void Idf_is_scikit_learns_smooth_idf_and_zero_for_ids_that_do_not_count()
    {
        // Vocabulary: padding 0, unknown 1, words 2..5 (most frequent first); ids 6..7 are bigram buckets.
        var a = new TextClassifierArchitecture(TextModelFamilies.Tfidf, VocabularySize: 6, ClassCount: 2, MaxLength: 8, 0, BigramBuckets: 2, 0, 0, 0, 0);
        int[][] texts = [[2, 2, 3, 1, 6], [2, 4, 6, 7, 5], [2, 5]];

        var idf = TfidfClassifier.InverseDocumentFrequencies(a, new TfidfSettings(MaxWords: 3, MinDocumentFrequency: 2, L2: 1), texts);

        float Smooth(int documents) => (float)(Math.Log(4.0 / (1 + documents)) + 1);
        // Word 2 is in all three texts, words 3 and 4 in one (under the minimum of 2), word 5 in two but past the 3 words kept; bucket 6 in two.
        Assert.Equal([0, 0, Smooth(3), 0, 0, 0, Smooth(2), 0], idf);
    }

    [Fact]
    public void Text_searches_keep_the_neural_learner_first_and_tfidf_serves_them_too()
    {
        var (train, _) = Sentences();
        var profile = Profile(train, epochs: 1);

        Assert.Equal("text", LearnerCatalog.For(profile).Name);
        Assert.True(LearnerCatalog.Named("tfidf_linear").Serves(profile));
        Assert.All(_learner.StartingPoints(profile), p => Assert.True(_learner.Space(profile).Contains(p), p.ToString()));
        var first = _learner.Decode(_learner.StartingPoints(profile)[0], profile);
        var stored = JsonSerializer.Deserialize<TfidfTrialConfig>(first.ConfigJson, EngineJson.Options)!;
        var rows = profile.Tokenizer!.Size + TfidfLearner.BigramBuckets(profile.Tokenizer.Size);
        Assert.Equal(rows * 3L + 3, first.Parameters);
        Assert.Equal((1.0, 20_000, true), (stored.Tfidf.L2, stored.Tfidf.MaxWords, stored.Architecture.BigramBuckets > 0));
    }
}
