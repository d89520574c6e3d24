using AutoMLStudio.Engine.Metrics;
using AutoMLStudio.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Text;

/// <summary>Texts and their classes.</summary>
/// <param name="Texts">The texts (null or empty ones are allowed and read as no words).</param>
/// <param name="Targets">Classification targets, one per text.</param>
public sealed record TextExamples(IReadOnlyList<string?> Texts, SupervisedTargets Targets);

/// <summary>What to train, on what, and where to keep checkpoints.</summary>
/// <param name="Config">Network and training settings; its vocabulary size must be the tokenizer's.</param>
/// <param name="Tokenizer">Tokenizer fitted on <paramref name="Train"/>'s texts (see <see cref="TextTokenizer.Fit"/>).</param>
/// <param name="Train">Training texts.</param>
/// <param name="Validation">Validation texts (at least one).</param>
/// <param name="CheckpointFolder">Folder owned by this trial; an existing checkpoint there is resumed.</param>
/// <param name="Seed">Seeds weights, shuffling and dropout.</param>
/// <param name="Device">Device to train on.</param>
/// <param name="Threads">Torch intra-op threads; 0 leaves torch's default. Process-wide in libtorch.</param>
/// <param name="Objective">What the best epoch is chosen by (accuracy, macro F1 or cost); null: accuracy.</param>
public sealed record TextTrainingRequest(
    TextTrialConfig Config,
    TextTokenizer Tokenizer,
    TextExamples Train,
    TextExamples Validation,
    string CheckpointFolder,
    int Seed,
    Device Device,
    int Threads = 0,
    Objective? Objective = null);

/// <summary>Trains and evaluates text classifiers with checkpoints that survive a crash.</summary>
public static class TextTrainer
{
    /// <summary>Trains with cross-entropy as <see cref="Tabular.TabularTrainer.TrainAsync"/> does, after writing the tokenizer to <see cref="TokenizerFile"/>; batches are padded to their longest text, up to the architecture's length.</summary>
    public static Task<SupervisedTrainingOutcome> TrainAsync(TextTrainingRequest request, Func<SupervisedEpochReport, Task> onEpoch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(onEpoch);
        var architecture = request.Config.Architecture;
        var objective = SupervisedMetrics.ClassificationObjective(request.Objective, request.Train.Targets.ClassCount);
        Check(architecture, request.Tokenizer, request.Train);
        Check(architecture, request.Tokenizer, request.Validation);

        var run = new SupervisedRun(request.Config.Training, request.Train.Targets, request.Validation.Targets, null, objective.Metric.Name, objective,
            request.CheckpointFolder, request.Seed, request.Device, request.Threads, TokenizerFile, request.Tokenizer.ToJson());
        // Texts are encoded once, for every epoch.
        var (train, validation) = (Encode(architecture, request.Tokenizer, request.Train), Encode(architecture, request.Tokenizer, request.Validation));
        return SupervisedTrainingLoop.TrainAsync(run, () => new TextClassifier(architecture),
            model => (Forward(model, train, request.Device), Forward(model, validation, request.Device)), onEpoch, cancellationToken);
    }

    /// <summary>File name of the tokenizer (JSON) the trainer keeps beside the weights.</summary>
    public const string TokenizerFile = "tokenizer.json";

    /// <summary>Builds <paramref name="architecture"/>, loads weights saved by <see cref="TrainAsync"/> and evaluates <paramref name="data"/>.</summary>
    public static SupervisedEvaluation Evaluate(TextClassifierArchitecture architecture, string weightsPath, TextTokenizer tokenizer, TextExamples data, Device device)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(data);
        Check(architecture, tokenizer, data);

        using var model = SupervisedTrainingLoop.Load(weightsPath, device, () => new TextClassifier(architecture));
        return SupervisedTrainingLoop.Evaluate(model, Forward(model, Encode(architecture, tokenizer, data), device), data.Targets, null,
            withOutputs: true, CancellationToken.None);
    }

    /// <summary>Each text as the ids the architecture reads (with word-pair ids when it uses them).</summary>
    internal static int[][] Encode(TextClassifierArchitecture architecture, TextTokenizer tokenizer, TextExamples data) =>
        [.. data.Texts.Select(t => architecture.Encode(tokenizer, t))];

    private static BatchForward Forward(TextClassifier model, int[][] sequences, Device device) => PaddedIds(model.forward, sequences, device);

    /// <summary>A batch of texts padded to its longest, as hosting pads a request's texts: padding (id 0) weighs nothing.</summary>
    internal static BatchForward PaddedIds(Func<Tensor, Tensor> forward, int[][] sequences, Device device) => rows =>
    {
        // At least one column, so a batch of empty texts is a batch of padding, which the model reads as no words.
        var length = Math.Max(1, rows.Max(r => sequences[r].Length));
        var ids = new long[rows.Length * length];
        for (var i = 0; i < rows.Length; i++)
        {
            var sequence = sequences[rows[i]];
            for (var j = 0; j < sequence.Length; j++) ids[i * length + j] = sequence[j];
        }
        return forward(torch.tensor(ids, [rows.Length, length], device: device));
    };

    private static void Check(TextClassifierArchitecture architecture, TextTokenizer tokenizer, TextExamples examples)
    {
        if (architecture.VocabularySize != tokenizer.Size)
            throw new ArgumentException($"The architecture expects a vocabulary of {architecture.VocabularySize} ids but the tokenizer has {tokenizer.Size}.");
        var targets = examples.Targets;
        if (targets.Task != PredictionTask.Classification || targets.ClassCount != architecture.ClassCount)
            throw new ArgumentException($"Text models classify into {architecture.ClassCount} classes; the targets do not fit.");
        if (examples.Texts.Count != targets.Count) throw new ArgumentException($"{examples.Texts.Count} texts but {targets.Count} targets.");
    }
}
