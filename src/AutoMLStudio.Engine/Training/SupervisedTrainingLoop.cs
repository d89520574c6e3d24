using AutoMLStudio.Engine.Metrics;
using AutoMLStudio.Engine.Native;
using AutoMLStudio.Engine.Spaces;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Training;

/// <summary>A model's outputs for the examples at the given positions of a data set (built and run on the device).</summary>
internal delegate Tensor BatchForward(int[] rows);

/// <summary>One training run of a tabular or text model, as the model-specific trainers set it up.</summary>
/// <param name="Settings">Optimizer, learning rate, weight decay, batch size and epochs.</param>
/// <param name="TrainTargets">Training targets.</param>
/// <param name="ValidationTargets">Validation targets.</param>
/// <param name="TargetScaling">Regression: the training target's standardisation; null for classification.</param>
/// <param name="Metric">Validation metric that picks the best epoch.</param>
/// <param name="Objective">Classification: scores each epoch's validation confusion matrix (<paramref name="Metric"/> is its name).</param>
/// <param name="CheckpointFolder">Folder owned by this run; an existing checkpoint there is resumed.</param>
/// <param name="Seed">Seeds weights, shuffling and dropout.</param>
/// <param name="Device">Device the model and batches live on.</param>
/// <param name="Threads">Torch intra-op threads; 0 leaves torch's default.</param>
/// <param name="ArtifactFile">File name of the preprocessing (plan or tokenizer) kept beside the weights.</param>
/// <param name="ArtifactJson">Its JSON.</param>
internal sealed record SupervisedRun(
    TrainingSettings Settings,
    SupervisedTargets TrainTargets,
    SupervisedTargets ValidationTargets,
    StandardScaling? TargetScaling,
    string Metric,
    Objective? Objective,
    string CheckpointFolder,
    int Seed,
    Device Device,
    int Threads,
    string ArtifactFile,
    string ArtifactJson);

/// <summary>
/// The tabular and text models' side of <see cref="TrainingLoop"/>: rows batched by index through a
/// <see cref="BatchForward"/>, cross-entropy or MSE on the standardised target, and validation scored by the run's
/// metric or objective.
/// </summary>
internal static class SupervisedTrainingLoop
{
    private const int EvaluationBatchSize = 256;

    /// <summary>A model built by <paramref name="build"/> with the weights at <paramref name="weightsPath"/>, on the device, for evaluation.</summary>
    public static T Load<T>(string weightsPath, Device device, Func<T> build) where T : nn.Module
    {
        if (!File.Exists(weightsPath)) throw new FileNotFoundException($"No weights at {weightsPath}.", weightsPath);
        TorchNative.EnsureLoaded();
        var model = build();
        model.load(weightsPath);
        model.to(device);
        return model;
    }

    /// <summary>
    /// Checks the run, loads libtorch, writes the preprocessing artefact into the checkpoint folder (so that it holds
    /// everything prediction needs), seeds torch, builds the model on the device and trains (or resumes) it in
    /// <see cref="TrainingLoop"/>, running it on the training and validation rows through <paramref name="forwards"/>.
    /// </summary>
    public static async Task<SupervisedTrainingOutcome> TrainAsync<TModel>(SupervisedRun run, Func<TModel> build,
        Func<TModel, (BatchForward Train, BatchForward Validation)> forwards, Func<SupervisedEpochReport, Task> onEpoch, CancellationToken cancellationToken)
        where TModel : nn.Module
    {
        TrainingChecks.Validate(run.Settings, run.TrainTargets, run.ValidationTargets, run.CheckpointFolder, run.Metric);
        TorchNative.EnsureLoaded();
        if (run.Threads > 0) torch.set_num_threads(run.Threads);
        Directory.CreateDirectory(run.CheckpointFolder);
        CheckpointFiles.WriteAtomically(Path.Combine(run.CheckpointFolder, run.ArtifactFile), p => File.WriteAllText(p, run.ArtifactJson));
        torch.random.manual_seed(run.Seed);
        using var model = build();
        model.to(run.Device);
        var (trainForward, validationForward) = forwards(model);
        using var optimizer = StableOptimizer.Create(model.parameters(), run.Settings);
        var loop = new NeuralRun<SupervisedEpochReport>(model, optimizer, run.Settings, run.TrainTargets.Count, run.CheckpointFolder, run.Seed, run.Metric,
            EpochLoss: _ => rows => Loss(trainForward(rows), Targets(run.TrainTargets, rows, run.TargetScaling, run.Device), run.TrainTargets.Task, nn.Reduction.Mean),
            Validate: ct =>
            {
                var validation = Evaluate(model, validationForward, run.ValidationTargets, run.TargetScaling, withOutputs: false, ct);
                return new EpochValidation(validation.Loss, validation.Accuracy, validation.ConfusionMatrix, validation);
            },
            Report: (epoch, trainLoss, validation, seconds) =>
                new SupervisedEpochReport(epoch, trainLoss, validation.Loss, Score(run, validation.Evaluation!), seconds, validation.Confusion),
            Score: report => report.ValMetric,
            IsBetter: (candidate, best) => SupervisedMetrics.IsBetter(run.Metric, candidate, best));
        var outcome = await TrainingLoop.RunAsync(loop, onEpoch, cancellationToken);
        return new SupervisedTrainingOutcome(outcome.Epochs, run.Metric, outcome.Best?.ValMetric ?? double.NaN, outcome.BestEpoch,
            outcome.BestWeightsPath, outcome.Parameters);
    }

    private static double Score(SupervisedRun run, SupervisedEvaluation validation) => SupervisedMetrics.Score(validation, run.Metric, run.Objective);

    /// <summary>Runs <paramref name="forward"/> over all of <paramref name="targets"/>' examples in evaluation mode.</summary>
    public static SupervisedEvaluation Evaluate(nn.Module model, BatchForward forward, SupervisedTargets targets,
        StandardScaling? targetScaling, bool withOutputs, CancellationToken cancellationToken)
    {
        var classification = targets.Task == PredictionTask.Classification;
        var classes = targets.ClassCount;
        var count = targets.Count;
        var confusion = Enumerable.Range(0, classes).Select(_ => new int[classes]).ToArray();
        var probabilities = new float[withOutputs && classification ? count : 0][];
        var predictions = new double[!classification ? count : 0];

        model.eval();
        using var noGrad = torch.no_grad();
        double lossSum = 0, squaredError = 0, absoluteError = 0;
        var correct = 0;
        for (var start = 0; start < count; start += EvaluationBatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = Enumerable.Range(start, Math.Min(EvaluationBatchSize, count - start)).ToArray();
            using var scope = torch.NewDisposeScope();
            var output = forward(rows);
            lossSum += Loss(output, Targets(targets, rows, targetScaling, output.device), targets.Task, nn.Reduction.Sum).item<float>();
            if (classification)
            {
                var predicted = output.argmax(1).cpu().data<long>().ToArray();
                var probs = withOutputs ? nn.functional.softmax(output, 1).cpu().data<float>().ToArray() : null;
                for (var i = 0; i < rows.Length; i++)
                {
                    var truth = targets.Labels[rows[i]];
                    confusion[truth][predicted[i]]++;
                    if (truth == predicted[i]) correct++;
                    if (probs is not null) probabilities[rows[i]] = probs.AsSpan(i * classes, classes).ToArray();
                }
            }
            else
            {
                var standardised = output.reshape(-1).cpu().data<float>().ToArray();
                for (var i = 0; i < rows.Length; i++)
                {
                    var predicted = targetScaling!.Invert(standardised[i]);
                    var error = predicted - targets.Values[rows[i]];
                    squaredError += error * error;
                    absoluteError += Math.Abs(error);
                    predictions[rows[i]] = predicted;
                }
            }
        }

        var n = Math.Max(1, count);
        return classification
            ? new SupervisedEvaluation(count, lossSum / n, (double)correct / n, confusion, withOutputs ? probabilities : null, null, null, null)
            : new SupervisedEvaluation(count, lossSum / n, null, null, null, Math.Sqrt(squaredError / n), absoluteError / n, withOutputs ? predictions : null);
    }

    private static Tensor Loss(Tensor output, Tensor target, PredictionTask task, nn.Reduction reduction) =>
        task == PredictionTask.Classification
            ? nn.functional.cross_entropy(output, target, reduction: reduction)
            : nn.functional.mse_loss(output.reshape(-1), target, reduction);

    private static Tensor Targets(SupervisedTargets targets, int[] rows, StandardScaling? scaling, Device device)
    {
        if (targets.Task == PredictionTask.Classification)
            return torch.tensor(rows.Select(r => (long)targets.Labels[r]).ToArray(), device: device);
        // Unclipped, so a far-out target still pulls the model rather than being silently capped.
        return torch.tensor(rows.Select(r => (float)((targets.Values[r] - scaling!.Mean) / scaling.Scale)).ToArray(), device: device);
    }
}
