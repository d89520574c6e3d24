using AutoMLStudio.Engine.Metrics;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Text;
using AutoMLStudio.Engine.Training;
using static AutoMLStudio.Engine.Tests.Text.TextTestData;

namespace AutoMLStudio.Engine.Tests.Text;

[Collection(TorchCollection.Name)]
public sealed class TextTrainerTests : IDisposable
{
    private readonly TempFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    private string NewFolder() => _folders.New();

    private TextTrainingRequest Request(Func<int, TextClassifierArchitecture> architecture, TextExamples train, TextExamples validation, int epochs)
    {
        var tokenizer = TextTokenizer.Fit(train.Texts, maxVocabulary: 1000);
        var config = new TextTrialConfig(architecture(tokenizer.Size), new TrainingSettings("adam", 0.01, 0, 16, epochs));
        return new TextTrainingRequest(config, tokenizer, train, validation, NewFolder(), Seed: 7, TestData.Cpu, Threads: 2);
    }

    private static async Task<(SupervisedTrainingOutcome Outcome, List<SupervisedEpochReport> Seen)> TrainAsync(TextTrainingRequest request)
    {
        var seen = new List<SupervisedEpochReport>();
        var outcome = await TextTrainer.TrainAsync(request, r => { seen.Add(r); return Task.CompletedTask; }, CancellationToken.None);
        return (outcome, seen);
    }

    public static TheoryData<string> Families => [TextModelFamilies.EmbeddingBag, TextModelFamilies.Cnn];

    private static Func<int, TextClassifierArchitecture> Family(string family) =>
        family == TextModelFamilies.Cnn ? v => Cnn(v) : v => Bag(v, bigramBuckets: 64, hidden: 16);

    [Fact]
    public async Task Macro_f1_picks_the_best_epoch_and_is_computed_from_each_epochs_confusion_matrix()
    {
        var request = Request(Family(TextModelFamilies.EmbeddingBag), Reviews(80, seed: 1), Reviews(40, seed: 2), epochs: 3)
            with { Objective = new Objective(MetricCatalog.MacroF1) };

        var (outcome, seen) = await TrainAsync(request);

        Assert.Equal("macro_f1", outcome.Metric);
        Assert.All(seen, r => Assert.Equal(ClassificationMetrics.MacroF1(new ConfusionMatrix(r.ValConfusion!)), r.ValMetric, 12));
        Assert.Equal(seen.Max(r => r.ValMetric), outcome.BestValMetric);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public async Task Both_families_learn_two_classes_told_apart_by_words(string family)
    {
        var request = Request(Family(family), Reviews(200, seed: 1), Reviews(60, seed: 2), epochs: 6);

        var (outcome, _) = await TrainAsync(request);
        var test = TextTrainer.Evaluate(request.Config.Architecture, outcome.BestWeightsPath, request.Tokenizer, Reviews(60, seed: 3), TestData.Cpu);

        Assert.True(outcome.BestValMetric > 0.9, $"{family}: validation accuracy {outcome.BestValMetric:P1}");
        Assert.True(test.Accuracy > 0.9, $"{family}: test accuracy {test.Accuracy:P1}");
        Assert.Equal(60, test.ConfusionMatrix!.Sum(r => r.Sum()));
        Assert.Equal(TextCost.CountParameters(request.Config.Architecture), outcome.Parameters);
        Assert.Equal(request.Tokenizer.ToJson(), File.ReadAllText(Path.Combine(request.CheckpointFolder, TextTrainer.TokenizerFile)));
    }

    [Theory]
    [MemberData(nameof(Families))]
    public async Task Killed_after_epoch_one_and_resumed_gives_the_same_metrics_as_an_uninterrupted_run(string family)
    {
        var request = Request(Family(family), Reviews(80, seed: 1), Reviews(20, seed: 2), epochs: 3);
        using var kill = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TextTrainer.TrainAsync(request,
            r => { if (r.Epoch == 1) kill.Cancel(); return Task.CompletedTask; }, kill.Token));
        var (resumed, seen) = await TrainAsync(request);
        var (uninterrupted, _) = await TrainAsync(request with { CheckpointFolder = NewFolder() });

        Assert.Equal([1, 2, 3], seen.Select(r => r.Epoch));
        Assert.Equal(uninterrupted.Epochs.Select(r => (r.TrainLoss, r.ValLoss, r.ValMetric)), resumed.Epochs.Select(r => (r.TrainLoss, r.ValLoss, r.ValMetric)));
        Assert.Equal(uninterrupted.BestEpoch, resumed.BestEpoch);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public async Task Empty_non_ascii_and_single_example_classes_train_to_finite_numbers(string family)
    {
        string?[] texts = ["", null, "Ünïcödé straße", "日本語のテキスト", "🙂🙂🙂", "   ", "ok ok", "ΑΒΓ δεζ", "مرحبا بالعالم", "same same"];
        var train = new TextExamples(texts, SupervisedTargets.Classes([0, 1, 0, 1, 0, 1, 0, 1, 0, 2], 3));
        var validation = new TextExamples(["", "never seen words"], SupervisedTargets.Classes([0, 2], 3));
        var request = Request(v => Family(family)(v) with { ClassCount = 3 }, train, validation, epochs: 2);

        var (outcome, _) = await TrainAsync(request);
        var evaluation = TextTrainer.Evaluate(request.Config.Architecture, outcome.BestWeightsPath, request.Tokenizer, validation, TestData.Cpu);

        Assert.All(outcome.Epochs, r => Assert.True(double.IsFinite(r.TrainLoss) && double.IsFinite(r.ValLoss)));
        Assert.All(evaluation.Probabilities!.SelectMany(p => p), p => Assert.True(float.IsFinite(p)));
    }
}
