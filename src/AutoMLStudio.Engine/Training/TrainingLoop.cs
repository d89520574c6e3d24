using System.Diagnostics;
using TorchSharp;
using AutoMLStudio.Engine.Spaces;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Training;

/// <summary>One epoch's validation: the loss, and the counts [true][predicted] for a classifier.</summary>
/// <param name="Loss">Mean validation loss.</param>
/// <param name="Accuracy">Share of correct answers (classifiers).</param>
/// <param name="Confusion">Counts indexed [true class][predicted class] (classifiers).</param>
/// <param name="Evaluation">The full evaluation, where the learner has one (its metric is read from it).</param>
internal sealed record EpochValidation(double Loss, double? Accuracy, int[][]? Confusion, SupervisedEvaluation? Evaluation = null);

/// <summary>
/// A neural learner's side of <see cref="TrainingLoop"/>: its model and optimizer, the loss of a batch of training
/// examples, how the validation set is scored and how an epoch is reported. The learner owns the model; the loop
/// neither builds nor disposes it.
/// </summary>
/// <param name="Model">The built model, on its device, with any starting weights loaded.</param>
/// <param name="Optimizer">The optimizer over the parameters that learn.</param>
/// <param name="Settings">Batch size, epochs, learning rate and schedule.</param>
/// <param name="TrainCount">Training examples.</param>
/// <param name="CheckpointFolder">Folder owned by the run; an existing checkpoint there is resumed.</param>
/// <param name="Seed">Seeds weights, shuffling and dropout.</param>
/// <param name="Metric">The name of the metric that picks the best epoch, checked on resume; null where the checkpoint does not record it (images).</param>
/// <param name="EpochLoss">For a 1-based epoch, the mean training loss of a batch of examples (by index); called once per epoch after reseeding.</param>
/// <param name="Validate">Scores the validation set in evaluation mode.</param>
/// <param name="Report">The epoch's report from (epoch, training loss, validation, seconds).</param>
/// <param name="Score">The report's value of the metric that picks the best epoch.</param>
/// <param name="IsBetter">Whether a score beats the best so far (direction-aware: a cost or an error must fall).</param>
internal sealed record NeuralRun<TReport>(
    nn.Module Model,
    StableOptimizer Optimizer,
    TrainingSettings Settings,
    int TrainCount,
    string CheckpointFolder,
    int Seed,
    string? Metric,
    Func<int, Func<int[], Tensor>> EpochLoss,
    Func<CancellationToken, EpochValidation> Validate,
    Func<int, double, EpochValidation, double, TReport> Report,
    Func<TReport, double> Score,
    Func<double, double, bool> IsBetter)
    where TReport : class;

/// <summary>What a finished <see cref="TrainingLoop"/> run gives back.</summary>
/// <param name="Epochs">Every epoch's report, including those replayed from a checkpoint.</param>
/// <param name="BestEpoch">The epoch whose weights are <c>best.weights</c>; 0 when every epoch diverged (the last weights are kept).</param>
/// <param name="BestWeightsPath">Path of <c>best.weights</c>.</param>
/// <param name="Parameters">Parameters of the model.</param>
internal sealed record LoopOutcome<TReport>(IReadOnlyList<TReport> Epochs, int BestEpoch, string BestWeightsPath, long Parameters)
    where TReport : class
{
    public TReport? Best => BestEpoch == 0 ? null : Epochs[BestEpoch - 1];
}

/// <summary>
/// The one epoch/checkpoint/evaluate loop of every neural learner (image CNN, pretrained backbones, tabular MLP, text
/// models). Each epoch reseeds torch from (seed, epoch) and shuffles with <see cref="ShuffleSeed"/>, so a resumed run
/// repeats an uninterrupted one; every batch runs in its own dispose scope with the learning rate of its step;
/// cancellation is checked between batches; after each epoch <see cref="CheckpointFiles.Save{TReport}"/> commits the
/// weights, the optimizer state and then <c>state.json</c>, atomically, and only then is the epoch reported.
/// </summary>
internal static class TrainingLoop
{
    /// <summary>
    /// The seed that shuffles the training examples in <paramref name="epoch"/>, one rule for every learner: the image
    /// trainer's, so image searches (whose results people compare) train exactly as they did.
    /// </summary>
    public static int ShuffleSeed(int seed, int epoch) => seed + epoch;

    /// <summary>Batches an epoch takes from <paramref name="count"/> examples: a lone trailing example is skipped (batch norm cannot train on one).</summary>
    public static long BatchesPerEpoch(int count, int batchSize) =>
        count / batchSize + (count % batchSize > 1 || count == 1 ? 1 : 0);

    /// <summary>
    /// Trains (or resumes) <paramref name="run"/> to <c>Settings.Epochs</c>. Resume: the checkpoint's weights and
    /// optimizer state are loaded, its finished epochs are reported again through <paramref name="onEpoch"/> (so the
    /// caller can upsert rows it missed) and training continues at the saved schedule step. A checkpoint written by an
    /// earlier release resumes too: an image trainer's exactly; a row trainer's (which shuffled from another seed) keeps
    /// its epochs, weights and optimizer state, and only its epochs still to run draw their shuffles from today's rule.
    /// </summary>
    public static async Task<LoopOutcome<TReport>> RunAsync<TReport>(NeuralRun<TReport> run, Func<TReport, Task> onEpoch, CancellationToken cancellationToken)
        where TReport : class
    {
        var folder = run.CheckpointFolder;
        var settings = run.Settings;
        var bestPath = Path.Combine(folder, CheckpointFiles.BestWeightsFile);
        var parameterCount = run.Model.parameters().Sum(p => p.numel());

        var state = CheckpointFiles.Load<TReport>(folder);
        var reports = new List<TReport>();
        if (state is not null)
        {
            if (state.Metric is { } metric && run.Metric is not null && metric != run.Metric)
                throw new InvalidDataException($"The checkpoint in {folder} chose its best epoch by {metric}, not {run.Metric}.");
            run.Model.load(Path.Combine(folder, state.WeightsFile));
            run.Optimizer.Load(Path.Combine(folder, state.OptimizerFile));
            reports.AddRange(state.Epochs);
            foreach (var report in state.Epochs) await onEpoch(report);
        }
        var bestEpoch = state?.BestEpoch ?? 0;
        var batchesPerEpoch = BatchesPerEpoch(run.TrainCount, settings.BatchSize);
        var schedule = new LearningRateSchedule(settings.Schedule, settings.LearningRate, batchesPerEpoch * (long)settings.Epochs);
        // Checkpoints written before schedules have no step; every epoch then took the same number of batches.
        var step = state?.Step ?? batchesPerEpoch * (long)reports.Count;

        for (var epoch = reports.Count + 1; epoch <= settings.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var trainLoss = TrainEpoch(run, schedule, ref step, epoch, cancellationToken);
            var validation = run.Validate(cancellationToken);
            var report = run.Report(epoch, trainLoss, validation, clock.Elapsed.TotalSeconds);
            reports.Add(report);

            // A diverged epoch (NaN metric) never becomes the best; the first finite one does; the earliest wins ties.
            var score = run.Score(report);
            if (double.IsFinite(score) && (bestEpoch == 0 || run.IsBetter(score, run.Score(reports[bestEpoch - 1]))))
            {
                bestEpoch = epoch;
                CheckpointFiles.WriteAtomically(bestPath, p => run.Model.save(p));
            }
            var best = bestEpoch == 0 ? double.NaN : run.Score(reports[bestEpoch - 1]);
            state = CheckpointFiles.Save(folder, run.Model, run.Optimizer, reports, bestEpoch, best, step, run.Metric, state);
            await onEpoch(report);
        }

        if (bestEpoch == 0) CheckpointFiles.WriteAtomically(bestPath, p => run.Model.save(p)); // every epoch diverged
        return new LoopOutcome<TReport>(reports, bestEpoch, bestPath, parameterCount);
    }

    private static double TrainEpoch<TReport>(NeuralRun<TReport> run, LearningRateSchedule schedule, ref long step, int epoch, CancellationToken cancellationToken)
        where TReport : class
    {
        // Per-epoch seeds (not one stream for the whole run) make a resumed run draw what an uninterrupted one would.
        torch.random.manual_seed(Seeds.Combine(run.Seed, epoch));
        var order = Enumerable.Range(0, run.TrainCount).ToArray();
        new Random(ShuffleSeed(run.Seed, epoch)).Shuffle(order);
        var batchLoss = run.EpochLoss(epoch);

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
            schedule.Apply(run.Optimizer, step++);
            run.Optimizer.ZeroGrad();
            var loss = batchLoss(rows);
            loss.backward();
            run.Optimizer.Step();
            lossSum += loss.item<float>() * count;
            seen += count;
        }
        return lossSum / seen;
    }
}
