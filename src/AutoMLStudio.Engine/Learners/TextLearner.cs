using System.Text.Json;
using AutoMLStudio.Engine.Onnx;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Text;
using AutoMLStudio.Engine.Training;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Learners;

/// <summary>The text classifiers (bag of embeddings, convolutional, recurrent) over a tokenizer fitted on the training texts.</summary>
public sealed class TextLearner : ILearner
{
    public string Name => "text";

    public bool Serves(DataProfile profile) => profile.Tokenizer is not null;

    public ParameterSpace Space(DataProfile profile) => TextParameterSpace.Create();

    public LearnerCandidate Decode(ParameterSet point, DataProfile profile)
    {
        var config = TextParameterSpace.Decode(point, new TextSpaceContext(Tokenizer(profile).Size, profile.ClassCount, profile.MaxEpochs));
        return new LearnerCandidate(JsonSerializer.Serialize(config, EngineJson.Options),
            TextCost.CountParameters(config.Architecture), TextCost.CountFlops(config.Architecture));
    }

    public ParameterSet Encode(string configJson) => TextParameterSpace.Encode(Read(configJson));

    public double LatencyMs(string configJson, Device device) => LatencyMeter.MedianMillisecondsUntrained(Read(configJson).Architecture, device);

    public (string Architecture, string Training) Describe(string configJson)
    {
        var config = Read(configJson);
        return (TrialConfigDescription.Architecture(config.Architecture), TrialConfigDescription.Training(config.Training));
    }

    public Task<SupervisedTrainingOutcome> TrainAsync(string configJson, DataProfile profile, RowExamples train, RowExamples validation,
        TrainingSetup setup, Func<SupervisedEpochReport, Task> onEpoch, CancellationToken cancellationToken) =>
        TextTrainer.TrainAsync(new TextTrainingRequest(Read(configJson), Tokenizer(profile), Examples(train), Examples(validation),
            setup.CheckpointFolder, setup.Seed, setup.Device, setup.Threads, setup.Objective), onEpoch, cancellationToken);

    public SupervisedEvaluation Evaluate(string configJson, string weightsPath, DataProfile profile, RowExamples data, Device device) =>
        TextTrainer.Evaluate(Read(configJson).Architecture, weightsPath, Tokenizer(profile), Examples(data), device);

    public byte[] ExportOnnx(string configJson, string weightsPath, StandardScaling? target)
    {
        using var scope = NewDisposeScope();
        using var model = new TextClassifier(Read(configJson).Architecture);
        model.load(weightsPath);
        model.eval();
        return OnnxExport.TextClassifier(model);
    }

    private static TextExamples Examples(RowExamples rows) => new(rows.Texts, rows.Targets);

    private static TextTokenizer Tokenizer(DataProfile profile) =>
        profile.Tokenizer ?? throw new ArgumentException("A text learner needs the tokenizer fitted on the training texts.", nameof(profile));

    private static TextTrialConfig Read(string configJson) =>
        JsonSerializer.Deserialize<TextTrialConfig>(configJson, EngineJson.Options) ?? throw new InvalidDataException("A trial has no configuration.");
}
