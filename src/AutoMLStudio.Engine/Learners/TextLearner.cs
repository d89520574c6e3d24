using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Text;
using AutoMLStudio.Engine.Training;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Learners;

/// <summary>The text classifiers (bag of embeddings, convolutional, recurrent) over a tokenizer fitted on the training texts.</summary>
public sealed class TextLearner : Learner<TextTrialConfig>
{
    // The space is the same for every text; the vocabulary's size comes in through the profile when decoding.
    public override ParameterSpace Space(DataProfile profile) => TextParameterSpace.Create();

    // The fastText-like default: an embedding bag of 64 dimensions with word pairs and no hidden layer over the first 128
    // words, Adam at 2e-3 (the middle of its log range), batches of 32.
    public override IReadOnlyList<ParameterSet> StartingPoints(DataProfile profile) =>
    [
        new(new Dictionary<string, object>
        {
            ["family"] = TextModelFamilies.EmbeddingBag, ["embeddingWidth"] = "64", ["maxLength"] = "128", ["bigrams"] = "true",
            ["hiddenUnits"] = "0", ["kernel"] = "3", ["filters"] = "64", ["dropout"] = 0.1, ["learningRate"] = 2e-3, ["batchSize"] = "32",
        }),
    ];

    public override bool Serves(DataProfile profile) => profile.Tokenizer is not null;

    public override string Name => "text";

    protected override TextTrialConfig Decode(ParameterSet point, DataProfile profile, out long parameters, out long flops)
    {
        var config = TextParameterSpace.Decode(point, new TextSpaceContext(Tokenizer(profile).Size, profile.ClassCount, profile.MaxEpochs));
        (parameters, flops) = (TextCost.CountParameters(config.Architecture), TextCost.CountFlops(config.Architecture));
        return config;
    }

    protected override ParameterSet Encode(TextTrialConfig config) => TextParameterSpace.Encode(config);

    protected override (string Architecture, string Training) Describe(TextTrialConfig config) =>
        (TrialConfigDescription.Architecture(config.Architecture), TrialConfigDescription.Training(config.Training));

    protected override double LatencyMs(TextTrialConfig config, Device device) => LatencyMeter.MedianMillisecondsUntrained(config.Architecture, device);

    public override Task<SupervisedTrainingOutcome> TrainAsync(string configJson, DataProfile profile, LearnerExamples train, LearnerExamples validation,
        TrainingSetup setup, Func<SupervisedEpochReport, Task> onEpoch, CancellationToken cancellationToken) =>
        TextTrainer.TrainAsync(new TextTrainingRequest(Read(configJson), Tokenizer(profile), Examples(train), Examples(validation),
            setup.CheckpointFolder, setup.Seed, setup.Device, setup.Threads, setup.Objective), onEpoch, cancellationToken);

    public override SupervisedEvaluation Evaluate(string configJson, string weightsPath, DataProfile profile, LearnerExamples data, Device device) =>
        TextTrainer.Evaluate(Read(configJson).Architecture, weightsPath, Tokenizer(profile), Examples(data), device);

    public override byte[] ExportOnnx(string configJson, string weightsPath, StandardScaling? target) =>
        ExportTrained(() => new TextClassifier(Read(configJson).Architecture), weightsPath, Onnx.OnnxExport.TextClassifier);

    private TextExamples Examples(LearnerExamples examples)
    {
        var rows = Take<RowExamples>(examples);
        return new(rows.Texts, rows.Targets);
    }

    private static TextTokenizer Tokenizer(DataProfile profile) =>
        profile.Tokenizer ?? throw new ArgumentException("A text learner needs the tokenizer fitted on the training texts.", nameof(profile));
}
