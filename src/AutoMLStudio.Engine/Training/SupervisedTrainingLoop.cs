using System.Diagnostics;
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
/// <param name="Model">The built model, on <paramref name="Device"/>.</param>
/// <param name="Settings">Optimizer, learning rate, weight decay, batch size and epochs.</param>
/// <param name="TrainTargets">Training targets.</param>
/// <param name="TrainForward">Runs the model on training rows.</param>
/// <param name="ValidationTargets">Validation targets.</param>
/// <param name="ValidationForward">Runs the model on validation rows.</param>
/// <param name="TargetScaling">Regression: the training target's standardisation; null for classification.</param>
/// <param name="Metric">Validation metric that picks the best epoch.</param>
/// <param name="CheckpointFolder">Folder owned by this run; an existing checkpoint there is resumed.</param>
/// <param name="Seed">Seeds shuffling and dropout.</param>
/// <param name="Device">Device the model and batches live on.</param>
/// <param name="Objective">Classification: scores each epoch's validation confusion matrix (<paramref name="Metric"/> is its name).</param>
internal sealed record SupervisedRun(
    nn.Module Model,
    TrainingSettings Settings,
    SupervisedTargets TrainTargets,
    BatchForward TrainForward,
    SupervisedTargets ValidationTargets,
    BatchForward ValidationForward,
    StandardScaling? TargetScaling,
    string Metric,
    string CheckpointFolder,
    int Seed,
    Device Device,
    Objective? Objective = null);

/// <summary>
/// The epoch loop shared by the tabular and text trainers, with the reliability contract of the image trainer: every
/// epoch reseeds torch from (seed, epoch) and shuffles with its own generator, so a resumed run repeats an
/// uninterrupted one; every batch runs in its own dispose scope; cancellation is checked between batches; after each
/// epoch the weights, the optimizer state and then <c>state.json</c> (the commit point) are written atomically.
/// </summary>
internal static class SupervisedTrainingLoop
{
    public const string BestWeightsFile = "best.weights";
    public const string StateFile = "state.json";
    private const int EvaluationBatchSize = 256;

    /// <summary>
    /// Loads libtorch, sets the thread count, writes the preprocessing artefact (plan or tokenizer) into the checkpoint
    /// folder so that it holds everything prediction needs, then seeds torch and builds the model on the device.
    /// </summary>
    public static T Start<T>(string folder, int threads, string artifactFile, string artifactJson, int seed, Device device, Func<T> build)
        where T : nn.Module
    {
        TorchNative.EnsureLoaded();
        if (threads > 0) torch.set_num_threads(threads);
        Directory.CreateDirectory(folder);
        CheckpointFiles.WriteAtomically(Path.Combine(folder, artifactFile), p => File.WriteAllText(p, artifactJson));
        torch.random.manual_seed(seed);
        var model = build();
        model.to(device);
        return model;
    }

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

    /// <summary>Trains (or resumes) <paramref name="run"/>, then disposes its model, which the run owns.</summary>
    public static async Task<SupervisedTrainingOutcome> RunAsync(SupervisedRun run, Func<SupervisedEpochReport, Task> onEpoch, CancellationToken cancellationToken)
    {
        using var model = run.Model;
        var folder = run.CheckpointFolder;
        var bestPath = Path.Combine(folder, BestWeightsFile);
        var parameterCount = run.Model.parameters().Sum(p => p.numel());
        using var optimizer = StableOptimizer.Create(run.Model.parameters(), run.Settings);

        var state = LoadState(folder);
        var reports = new List<SupervisedEpochReport>();
        if (state is not null)
        {
            if (state.Metric != run.Metric)
                throw new InvalidDataException($"The checkpoint in {folder} chose its best epoch by {state.Metric}, not {run.Metric}.");
            run.Model.load(Path.Combine(folder, state.WeightsFile));
            optimizer.Load(Path.Combine(folder, state.OptimizerFile));
            reports.AddRange(state.Epochs);
            foreach (var report in state.Epochs) await onEpoch(report);
        }
        var best = state?.BestValMetric ?? double.NaN;
        var bestEpoch = state?.BestEpoch ?? 0;

        for (var epoch = reports.Count + 1; epoch <= run.Settings.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var trainLoss = TrainEpoch(run, optimizer, epoch, cancellationToken);
            var validation = Evaluate(run.Model, run.ValidationForward, run.ValidationTargets, run.TargetScaling, withOutputs: false, cancellationToken);
            var report = new SupervisedEpochReport(epoch, trainLoss, validation.Loss, Score(run, validation), clock.Elapsed.TotalSeconds,
                validation.ConfusionMatrix);
            reports.Add(report);

            // A diverged epoch (NaN metric) never becomes the best; the first finite one does.
            if (double.IsFinite(report.ValMetric) && (bestEpoch == 0 || SupervisedMetrics.IsBetter(run.Metric, report.ValMetric, best)))
            {
                best = report.ValMetric;
                bestEpoch = epoch;
                CheckpointFiles.WriteAtomically(bestPath, p => run.Model.save(p));
            }
            state = SaveCheckpoint(folder, run, optimizer, reports, bestEpoch, best, state);
            await onEpoch(report);
        }

        if (bestEpoch == 0) CheckpointFiles.WriteAtomically(bestPath, p => run.Model.save(p)); // every epoch diverged
        return new SupervisedTrainingOutcome(reports, run.Metric, bestEpoch == 0 ? double.NaN : best, bestEpoch, bestPath, parameterCount);
    }

    private static double Score(SupervisedRun run, SupervisedEvaluation validation) =>
        run.Objective is { } objective && validation.ConfusionMatrix is { } counts
            ? objective.Score(new ConfusionMatrix(counts))
            : validation.Metric(run.Metric);

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

    private static double TrainEpoch(SupervisedRun run, StableOptimizer optimizer, int epoch, CancellationToken cancellationToken)
    {
        // Per-epoch seeds (not one stream for the whole run) make a resumed run draw what an uninterrupted one would.
        torch.random.manual_seed(Seeds.Combine(run.Seed, epoch));
        var order = Enumerable.Range(0, run.TrainTargets.Count).ToArray();
        new Random(Seeds.Combine(run.Seed, -epoch)).Shuffle(order);

        run.Model.train();
        var batchSize = run.Settings.BatchSize;
        double lossSum = 0;
        var seen = 0;
        for (var start = 0; start < order.Length; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(batchSize, order.Length - start);
            // Batch norm cannot train on a single example; a lone trailing one waits for the next epoch's shuffle.
            if (count == 1 && order.Length > 1) break;

            using var scope = torch.NewDisposeScope();
            var rows = order.AsSpan(start, count).ToArray();
            optimizer.ZeroGrad();
            var loss = Loss(run.TrainForward(rows), Targets(run.TrainTargets, rows, run.TargetScaling, run.Device), run.TrainTargets.Task, nn.Reduction.Mean);
            loss.backward();
            optimizer.Step();
            lossSum += loss.item<float>() * count;
            seen += count;
        }
        return lossSum / seen;
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

    private static CheckpointState SaveCheckpoint(string folder, SupervisedRun run, StableOptimizer optimizer,
        List<SupervisedEpochReport> reports, int bestEpoch, double best, CheckpointState? previous)
    {
        var epoch = reports.Count;
        var state = new CheckpointState(epoch, [.. reports], run.Metric, bestEpoch, best, $"epoch-{epoch}.weights", $"epoch-{epoch}.optimizer");
        CheckpointFiles.WriteAtomically(Path.Combine(folder, state.WeightsFile), p => run.Model.save(p));
        CheckpointFiles.WriteAtomically(Path.Combine(folder, state.OptimizerFile), optimizer.Save);
        CheckpointFiles.WriteJson(Path.Combine(folder, StateFile), state);

        // Older epoch files are only dropped once the new state file points past them.
        if (previous is not null && previous.WeightsFile != state.WeightsFile)
        {
            File.Delete(Path.Combine(folder, previous.WeightsFile));
            File.Delete(Path.Combine(folder, previous.OptimizerFile));
        }
        return state;
    }

    private static CheckpointState? LoadState(string folder)
    {
        var path = Path.Combine(folder, StateFile);
        var state = CheckpointFiles.ReadJson<CheckpointState>(path);
        if (state is not null && state.Epochs.Count != state.Epoch)
            throw new InvalidDataException($"The checkpoint state {path} lists {state.Epochs.Count} epochs but says {state.Epoch}.");
        return state;
    }

    /// <summary>The commit record of a checkpoint folder.</summary>
    private sealed record CheckpointState(
        int Epoch, List<SupervisedEpochReport> Epochs, string Metric, int BestEpoch, double BestValMetric, string WeightsFile, string OptimizerFile);
}
