using System.Diagnostics;
using AutoMLStudio.Engine;
using AutoMLStudio.Engine.ActiveLearning;
using AutoMLStudio.Engine.Data;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Training;
using static TorchSharp.torch;

namespace AutoMLStudio.Bench;

/// <summary>What one round of an <see cref="ActiveLearner"/> measured.</summary>
/// <param name="Accuracy">Mean test accuracy of the models trained on the labels so far.</param>
/// <param name="Spread">Half the range of those accuracies (0 for one model).</param>
/// <param name="TrainSeconds">Training from scratch, test evaluation included.</param>
/// <param name="OrderSeconds">Scoring the unlabeled pool and ordering it (0 when no labels were revealed).</param>
/// <param name="Batch">The items revealed next, as the queue ranked them.</param>
public sealed record RoundResult(double Accuracy, double Spread, double TrainSeconds, double OrderSeconds, IReadOnlyList<(int PoolIndex, RankedItem Item)> Batch);

/// <summary>
/// One strategy's labels through the rounds of the active-learning benchmark: train a fresh model on them, measure it
/// on the test set, then reveal the next batch in the order <see cref="LabelingQueue"/> gives the rest of the pool.
/// </summary>
public sealed class ActiveLearner(string strategy, IEnumerable<int> firstLabels, ImageTensorData pool, TrialConfig config, double diversity, bool committee, Device device, int threads, int minimumSteps)
{
    private readonly List<int> _labeled = [.. firstLabels];

    public string Strategy => strategy;

    public IReadOnlyList<int> Labeled => _labeled;

    /// <summary>
    /// Trains <paramref name="repeats"/> models on the labels so far (from different seeds; their mean test accuracy is
    /// the round's figure, so one lucky initialisation does not decide it), then reveals the next
    /// <paramref name="reveal"/> items in the order the round's models give: with <c>committee</c> their mean class
    /// probabilities (<see cref="PoolScoring.Committee"/>), without it the first model's alone, as in the product.
    /// </summary>
    public async Task<RoundResult> RunRoundAsync(int round, int seed, ImageTensorData test, int epochs, int repeats, int reveal)
    {
        var folders = new List<string>();
        try
        {
            var clock = Stopwatch.StartNew();
            var accuracies = new List<double>();
            var models = new List<string>();
            for (var repeat = 0; repeat < repeats; repeat++)
            {
                var folder = Directory.CreateTempSubdirectory("amls-bench-al-").FullName;
                folders.Add(folder);
                // Both strategies train round r from the same seeds, so they differ in their labels only.
                var trainingSeed = repeat == 0 ? Seeds.Combine(seed, round) : Seeds.Combine(Seeds.Combine(seed, round), repeat);
                var weights = await TrainAsync(folder, trainingSeed, epochs);
                accuracies.Add(ImageClassifierTrainer.Evaluate(config.Architecture, weights, test, device).Accuracy);
                models.Add(weights);
            }
            var trainSeconds = clock.Elapsed.TotalSeconds;

            clock.Restart();
            var batch = reveal > 0 ? Reveal(committee ? models : models.Take(1).ToList(), Seeds.Combine(seed, round), reveal) : [];
            return new RoundResult(accuracies.Average(), (accuracies.Max() - accuracies.Min()) / 2, trainSeconds, clock.Elapsed.TotalSeconds, batch);
        }
        finally
        {
            foreach (var folder in folders) Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// From scratch every round rather than continuing the last model: a warm-started network generalises worse than a
    /// fresh one on the same data (Ash and Adams, 2020), and a fresh model makes each accuracy a function of the label
    /// set alone, so the strategies are compared on their labels, not on their training histories. The model is the
    /// last epoch's (cosine schedule to 0): there are no spare labels to validate on, as in a real labeling session.
    /// </summary>
    private async Task<string> TrainAsync(string folder, int trainingSeed, int epochs)
    {
        var train = pool.Subset(_labeled);
        var batches = (train.Count + config.Training.BatchSize - 1) / config.Training.BatchSize;
        var settings = config.Training with { Epochs = Math.Max(epochs, (minimumSteps + batches - 1) / batches) };
        // The trainer needs a validation set; it only chooses best.weights, which is not used here.
        var validation = pool.Subset(_labeled.Take(64).ToArray());
        var request = new TrainingRequest(config with { Training = settings }, train, validation, folder, trainingSeed, device, threads);
        await ImageClassifierTrainer.TrainAsync(request, _ => Task.CompletedTask, CancellationToken.None);
        return Path.Combine(folder, ImageClassifierTrainer.EpochWeightsFile(settings.Epochs));
    }

    private List<(int, RankedItem)> Reveal(IReadOnlyList<string> models, int seed, int count)
    {
        var taken = _labeled.ToHashSet();
        var unlabeled = Enumerable.Range(0, pool.Count).Where(i => !taken.Contains(i)).ToArray();
        LabelingRequest request;
        if (strategy == LabelingQueue.Random)
        {
            request = new LabelingRequest(unlabeled.Select(_ => Array.Empty<float>()).ToArray(), strategy, count, seed);
        }
        else
        {
            var images = pool.Subset(unlabeled);
            var scores = PoolScoring.Committee(models.Select(weights => PoolScoring.Score(config.Architecture, weights, images, device)).ToList());
            request = new LabelingRequest(scores.Probabilities, strategy, count, seed, diversity, scores.Embeddings, BenchSources.FashionClasses);
        }
        var batch = LabelingQueue.Order(request).Take(count).Select(r => (unlabeled[r.Index], r)).ToList();
        _labeled.AddRange(batch.Select(b => b.Item1));
        return batch;
    }
}
