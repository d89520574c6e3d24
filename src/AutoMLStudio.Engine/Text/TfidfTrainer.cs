using AutoMLStudio.Engine.Learners;
using AutoMLStudio.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Text;

/// <summary>
/// Trains and evaluates <see cref="TfidfClassifier"/>s through the one epoch loop, so checkpoints, exact resume and
/// pruning work as for the neural text models. The idf is fitted on the training texts before the first epoch and
/// travels in the weights file.
/// </summary>
internal static class TfidfTrainer
{
    public static Task<SupervisedTrainingOutcome> TrainAsync(TfidfTrialConfig config, TextTokenizer tokenizer, TextExamples train, TextExamples validation,
        TrainingSetup setup, Func<SupervisedEpochReport, Task> onEpoch, CancellationToken cancellationToken)
    {
        var a = config.Architecture;
        Check(a, tokenizer, train);
        Check(a, tokenizer, validation);
        var objective = SupervisedMetrics.ClassificationObjective(setup.Objective, train.Targets.ClassCount);
        var (trainIds, validationIds) = (Encode(a, tokenizer, train), Encode(a, tokenizer, validation));
        var idf = TfidfClassifier.InverseDocumentFrequencies(a, config.Tfidf, trainIds);
        // The loop's loss is a mean over the batch, so the penalty on the summed loss becomes L2 / n per example.
        var settings = config.Training with { WeightDecay = config.Tfidf.L2 / train.Targets.Count };
        var run = new SupervisedRun(settings, train.Targets, validation.Targets, null, objective.Metric.Name, objective,
            setup.CheckpointFolder, setup.Seed, setup.Device, setup.Threads, TextTrainer.TokenizerFile, tokenizer.ToJson());
        return SupervisedTrainingLoop.TrainAsync(run, () => new TfidfClassifier(a, idf),
            model => (Forward(model, trainIds, setup.Device), Forward(model, validationIds, setup.Device)), onEpoch, cancellationToken);
    }

    public static SupervisedEvaluation Evaluate(TfidfTrialConfig config, string weightsPath, TextTokenizer tokenizer, TextExamples data, Device device)
    {
        Check(config.Architecture, tokenizer, data);
        using var model = SupervisedTrainingLoop.Load(weightsPath, device, () => new TfidfClassifier(config.Architecture));
        return SupervisedTrainingLoop.Evaluate(model, Forward(model, Encode(config.Architecture, tokenizer, data), device), data.Targets, null,
            withOutputs: true, CancellationToken.None);
    }

    private static int[][] Encode(TextClassifierArchitecture a, TextTokenizer tokenizer, TextExamples data) => TextTrainer.Encode(a, tokenizer, data);

    private static BatchForward Forward(TfidfClassifier model, int[][] sequences, Device device) => TextTrainer.PaddedIds(model.forward, sequences, device);

    private static void Check(TextClassifierArchitecture a, TextTokenizer tokenizer, TextExamples examples)
    {
        if (a.VocabularySize != tokenizer.Size)
            throw new ArgumentException($"The model expects a vocabulary of {a.VocabularySize} ids but the tokenizer has {tokenizer.Size}.");
        if (examples.Targets.Task != PredictionTask.Classification || examples.Targets.ClassCount != a.ClassCount)
            throw new ArgumentException($"TF-IDF models classify into {a.ClassCount} classes; the targets do not fit.");
        if (examples.Texts.Count != examples.Targets.Count) throw new ArgumentException($"{examples.Texts.Count} texts but {examples.Targets.Count} targets.");
    }
}
