using System.Globalization;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Text;
using AutoMLStudio.Engine.Training;
using static AutoMLStudio.Engine.Search.SpaceValues;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Learners;

/// <summary>
/// TF-IDF over words and hashed word pairs with an L2-regularised softmax regression, the text baseline that neural
/// models must beat (docs/adr/0048). It reads the same ids from the same tokenizer as <see cref="TextLearner"/>.
/// </summary>
public sealed class TfidfLearner : Learner<TfidfTrialConfig>
{
    private static readonly string[] WordChoices = Texts(2_000, 5_000, 20_000);
    private static readonly string[] DocumentFrequencyChoices = Texts(1, 2, 3, 5);
    private static readonly string[] LengthChoices = Texts(64, 128, 256);
    private const double L2Min = 1e-4, L2Max = 10, LearningRateMin = 0.01, LearningRateMax = 1;
    // Small batches: a short budget still takes enough steps; the model is cheap per step.
    private const int BatchSize = 32;

    public override string Name => "tfidf_linear";

    public override bool Serves(DataProfile profile) => profile.Tokenizer is not null && profile.Task == PredictionTask.Classification;

    public override ParameterSpace Space(DataProfile profile) => new(
        ParameterDimension.Categorical("maxWords", WordChoices),
        ParameterDimension.Categorical("minDocumentFrequency", DocumentFrequencyChoices),
        ParameterDimension.Categorical("bigrams", YesNo),
        ParameterDimension.Categorical("maxLength", LengthChoices),
        ParameterDimension.FloatRange("l2", L2Min, L2Max, log: true),
        ParameterDimension.FloatRange("learningRate", LearningRateMin, LearningRateMax, log: true));

    // scikit-learn's defaults first (C = 1, every word), with word pairs, which rarely hurt a linear text model.
    public override IReadOnlyList<ParameterSet> StartingPoints(DataProfile profile) =>
    [
        Point(words: 20_000, minDocuments: 2, bigrams: true, l2: 1),
        Point(words: 20_000, minDocuments: 1, bigrams: false, l2: 1),
        Point(words: 20_000, minDocuments: 2, bigrams: true, l2: 0.1),
    ];

    private static ParameterSet Point(int words, int minDocuments, bool bigrams, double l2) => new(new KeyValuePair<string, object>[]
    {
        new("maxWords", SpaceValues.Text(words)),
        new("minDocumentFrequency", SpaceValues.Text(minDocuments)),
        new("bigrams", Flag(bigrams)),
        new("maxLength", SpaceValues.Text(256)),
        new("l2", l2),
        new("learningRate", 0.1),
    });

    protected override TfidfTrialConfig Decode(ParameterSet point, DataProfile profile, out long parameters, out long flops)
    {
        var vocabulary = Tokenizer(profile).Size;
        var architecture = new TextClassifierArchitecture(TextModelFamilies.Tfidf, vocabulary, profile.ClassCount, Int(point, "maxLength"),
            EmbeddingWidth: 0, BigramBuckets: Flag(point, "bigrams") ? BigramBuckets(vocabulary) : 0, HiddenUnits: 0, Kernel: 0, Filters: 0, Dropout: 0);
        var config = new TfidfTrialConfig(architecture,
            new TrainingSettings("adam", point.GetDouble("learningRate"), 0, BatchSize, profile.MaxEpochs, Schedule: "cosine"),
            new TfidfSettings(Int(point, "maxWords"), Int(point, "minDocumentFrequency"), point.GetDouble("l2")));
        (parameters, flops) = Cost(architecture);
        return config;
    }

    /// <summary>Hashed buckets for word pairs: four per word, so few pairs share one, between 1,024 and 65,536.</summary>
    public static int BigramBuckets(int vocabularySize) => Math.Clamp(4 * vocabularySize, 1_024, 65_536);

    /// <summary>
    /// Parameters: a weight per id and class plus a bias per class. FLOPs per text at full length T ids: T^2 comparisons
    /// to count them, then a multiply-add per id and class.
    /// </summary>
    public static (long Parameters, long Flops) Cost(TextClassifierArchitecture a)
    {
        ArgumentNullException.ThrowIfNull(a);
        long tokens = a.MaxTokens;
        return ((long)a.EmbeddingRows * a.ClassCount + a.ClassCount, tokens * tokens + 2 * tokens * a.ClassCount);
    }

    protected override ParameterSet Encode(TfidfTrialConfig config) => new(new KeyValuePair<string, object>[]
    {
        new("maxWords", Nearest(config.Tfidf.MaxWords, WordChoices)),
        new("minDocumentFrequency", Nearest(config.Tfidf.MinDocumentFrequency, DocumentFrequencyChoices)),
        new("bigrams", Flag(config.Architecture.BigramBuckets > 0)),
        new("maxLength", Nearest(config.Architecture.MaxLength, LengthChoices)),
        new("l2", Math.Clamp(config.Tfidf.L2, L2Min, L2Max)),
        new("learningRate", Math.Clamp(config.Training.LearningRate, LearningRateMin, LearningRateMax)),
    });

    protected override double LatencyMs(TfidfTrialConfig config, Device device)
    {
        Native.TorchNative.EnsureLoaded();
        var a = config.Architecture;
        using var model = new TfidfClassifier(a);
        // Distinct word ids from 2 on, the slowest case: every position its own id, at the longest length read.
        using var ids = tensor(Enumerable.Range(0, a.MaxTokens).Select(i => 2L + i % (a.EmbeddingRows - 2)).ToArray(), [1, a.MaxTokens], device: device);
        return LatencyMeter.Median(model, () => model.forward(ids), device, warmUps: 3, runs: 10);
    }

    protected override (string Architecture, string Training) Describe(TfidfTrialConfig config)
    {
        var (a, t) = (config.Architecture, config.Tfidf);
        var words = string.Create(CultureInfo.InvariantCulture, $"TF-IDF over the {t.MaxWords:N0} most frequent words");
        var pairs = a.BigramBuckets > 0 ? string.Create(CultureInfo.InvariantCulture, $" and word pairs ({a.BigramBuckets:N0} hashed buckets)") : "";
        return (string.Create(CultureInfo.InvariantCulture,
                $"{words}{pairs} found in at least {t.MinDocumentFrequency} training texts, first {a.MaxLength} words; linear classifier (L2 {t.L2:G3})"),
            string.Create(CultureInfo.InvariantCulture,
                $"{config.Training.Optimizer}, learning rate {config.Training.LearningRate:G3} ({config.Training.Schedule}), batch {config.Training.BatchSize}, {config.Training.Epochs} epochs"));
    }

    public override Task<SupervisedTrainingOutcome> TrainAsync(string configJson, DataProfile profile, LearnerExamples train, LearnerExamples validation,
        TrainingSetup setup, Func<SupervisedEpochReport, Task> onEpoch, CancellationToken cancellationToken) =>
        TfidfTrainer.TrainAsync(Read(configJson), Tokenizer(profile), Examples(train), Examples(validation), setup, onEpoch, cancellationToken);

    public override SupervisedEvaluation Evaluate(string configJson, string weightsPath, DataProfile profile, LearnerExamples data, Device device) =>
        TfidfTrainer.Evaluate(Read(configJson), weightsPath, Tokenizer(profile), Examples(data), device);

    public override byte[] ExportOnnx(string configJson, string weightsPath, StandardScaling? target) =>
        ExportTrained(() => new TfidfClassifier(Read(configJson).Architecture), weightsPath, Onnx.TfidfGraph.Build);

    private TextExamples Examples(LearnerExamples examples)
    {
        var rows = Take<RowExamples>(examples);
        return new(rows.Texts, rows.Targets);
    }

    private static TextTokenizer Tokenizer(DataProfile profile) =>
        profile.Tokenizer ?? throw new ArgumentException("The TF-IDF learner needs the tokenizer fitted on the training texts.", nameof(profile));
}
