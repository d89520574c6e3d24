using AutoMLStudio.Engine.Data;
using AutoMLStudio.Engine.Metrics;
using AutoMLStudio.Engine.Models;
using AutoMLStudio.Engine.Native;
using AutoMLStudio.Engine.Spaces;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AutoMLStudio.Engine.Training;

/// <summary>Metrics of one finished epoch.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean cross-entropy over the epoch's training batches (in training mode).</param>
/// <param name="ValLoss">Mean cross-entropy on the validation set after the epoch.</param>
/// <param name="ValAccuracy">Validation accuracy after the epoch, in [0, 1].</param>
/// <param name="Seconds">Wall-clock seconds of the epoch, validation included.</param>
/// <param name="ValMetric">The request's objective on the validation set; null in checkpoints written before objectives, which optimised accuracy.</param>
/// <param name="ValConfusion">Validation confusion matrix, so the epoch can be scored again under another objective without retraining.</param>
public sealed record EpochReport(int Epoch, double TrainLoss, double ValLoss, double ValAccuracy, double Seconds,
    double? ValMetric = null, ConfusionMatrix? ValConfusion = null)
{
    /// <summary>The objective's value: <see cref="ValMetric"/>, or the accuracy for reports that predate objectives.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double Score => ValMetric ?? ValAccuracy;
}

/// <summary>What to train, on what, and where to keep checkpoints.</summary>
/// <param name="Config">Architecture and training settings.</param>
/// <param name="Train">Training images.</param>
/// <param name="Validation">Validation images (at least one).</param>
/// <param name="CheckpointFolder">Folder owned by this trial; an existing checkpoint there is resumed.</param>
/// <param name="Seed">Seeds weights, shuffling and dropout.</param>
/// <param name="Device">Device to train on.</param>
/// <param name="Threads">Torch intra-op threads; 0 leaves torch's default. Process-wide in libtorch.</param>
/// <param name="Objective">What picks the best epoch (and <c>best.weights</c>); null means accuracy.</param>
public sealed record TrainingRequest(
    TrialConfig Config,
    ImageTensorData Train,
    ImageTensorData Validation,
    string CheckpointFolder,
    int Seed,
    Device Device,
    int Threads = 0,
    Objective? Objective = null,
    string? InitialWeights = null);

/// <summary>Result of a training run.</summary>
/// <param name="Epochs">Every epoch's report, including those replayed from a checkpoint.</param>
/// <param name="BestValAccuracy">Validation accuracy of the best epoch.</param>
/// <param name="BestEpoch">The epoch with the best objective value (earliest epoch wins ties), whose weights are <c>best.weights</c>.</param>
/// <param name="BestWeightsPath">Path of <c>best.weights</c>.</param>
/// <param name="Parameters">Trainable parameters of the model.</param>
/// <param name="BestValMetric">The objective's value at <paramref name="BestEpoch"/>.</param>
/// <param name="BestValConfusion">Validation confusion matrix at <paramref name="BestEpoch"/>; null for checkpoints that predate it.</param>
public sealed record TrainingOutcome(IReadOnlyList<EpochReport> Epochs, double BestValAccuracy, int BestEpoch, string BestWeightsPath, long Parameters,
    double BestValMetric, ConfusionMatrix? BestValConfusion);

/// <summary>Evaluation of a model on a data set.</summary>
/// <param name="Accuracy">Share of correct predictions (0 for an empty set).</param>
/// <param name="Loss">Mean cross-entropy (0 for an empty set).</param>
/// <param name="ConfusionMatrix">Counts indexed [true class][predicted class].</param>
/// <param name="Count">Number of items evaluated.</param>
/// <param name="Probabilities">Softmax probabilities per item, in data order.</param>
public sealed record EvaluationResult(double Accuracy, double Loss, int[][] ConfusionMatrix, int Count, float[][] Probabilities);

/// <summary>Trains and evaluates image classifiers with checkpoints that survive a crash.</summary>
public static class ImageClassifierTrainer
{
    /// <summary>File name of the best-validation weights inside the checkpoint folder.</summary>
    public const string BestWeightsFile = CheckpointFiles.BestWeightsFile;

    /// <summary>File name of the checkpoint state (JSON) inside the checkpoint folder.</summary>
    public const string StateFile = CheckpointFiles.StateFile;

    private const int EvaluationBatchSize = 256;

    /// <summary>File name of the weights after <paramref name="epoch"/> inside the checkpoint folder (kept until a later epoch is committed).</summary>
    public static string EpochWeightsFile(int epoch) => CheckpointFiles.EpochWeightsFile(epoch);

    // Mixed into the (seed, epoch) seed so augmentation draws a stream of its own, apart from shuffling and dropout.
    private const int AugmentationStream = 0x41756721;

    /// <summary>
    /// Trains for <c>Config.Training.Epochs</c> epochs with cross-entropy (label-smoothed when set) and Adam, AdamW or SGD
    /// (momentum 0.9, Nesterov when set) with weight decay; the learning rate follows <see cref="LearningRateSchedule"/>,
    /// stepped per batch, and each training batch is augmented (<see cref="Augmentation"/>) from a seed of (seed, epoch).
    /// The epochs, checkpoints (<see cref="CheckpointFiles"/>), exact resume and cancellation are those of the loop every
    /// neural learner shares (<see cref="TrainingLoop"/>); <c>best.weights</c> follows the request's objective on
    /// validation (direction-aware: a cost must fall). Older state files without objective values still resume: their
    /// epochs are scored by accuracy, as they were trained. A frozen backbone trained without augmentation trains its
    /// head on features computed once (<see cref="FrozenFeatures"/>). Compute runs synchronously on the calling thread;
    /// no dispose scope is held across the await of <paramref name="onEpoch"/>.
    /// </summary>
    public static async Task<TrainingOutcome> TrainAsync(TrainingRequest request, Func<EpochReport, Task> onEpoch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(onEpoch);
        var architecture = request.Config.Architecture;
        var settings = request.Config.Training;
        ValidateRequest(request);

        TorchNative.EnsureLoaded();
        if (request.Threads > 0) torch.set_num_threads(request.Threads);
        Directory.CreateDirectory(request.CheckpointFolder);

        torch.random.manual_seed(request.Seed);
        using var model = CnnModelFactory.Build(architecture);
        // A fine-tuning trial starts from the trained model's weights; once it has a checkpoint, it resumes from that.
        if (!File.Exists(Path.Combine(request.CheckpointFolder, StateFile)) && request.InitialWeights is { } initial)
            FineTuning.LoadStartingWeights(model, initial);
        model.to(request.Device);
        using var optimizer = FineTuning.CreateOptimizer(model, request.Config);
        var objective = request.Objective ?? Objective.Accuracy;
        // A frozen backbone's features are computed once the loop has loaded any checkpoint, from the weights it resumes.
        FrozenFeatures? cached = null;
        var featuresTried = false;
        FrozenFeatures? Cached(CancellationToken ct)
        {
            if (!featuresTried) (cached, featuresTried) = (FrozenFeatures.TryCreate(model, request, ct), true);
            return cached;
        }

        var run = new NeuralRun<EpochReport>(model, optimizer, settings, request.Train.Count, request.CheckpointFolder, request.Seed, Metric: null,
            EpochLoss: epoch => BatchLoss(model, Cached(cancellationToken), request, epoch),
            Validate: ct =>
            {
                var validation = RunEvaluation(model, request.Validation, architecture.ClassCount, request.Device, withProbabilities: false, ct, Cached(ct));
                return new EpochValidation(validation.Loss, validation.Accuracy, validation.ConfusionMatrix);
            },
            Report: (epoch, trainLoss, validation, seconds) =>
            {
                var confusion = new ConfusionMatrix(validation.Confusion!);
                return new EpochReport(epoch, trainLoss, validation.Loss, validation.Accuracy!.Value, seconds, objective.Score(confusion), confusion);
            },
            Score: report => report.Score,
            IsBetter: objective.Metric.IsBetter);
        LoopOutcome<EpochReport> outcome;
        try
        {
            outcome = await TrainingLoop.RunAsync(run, onEpoch, cancellationToken);
        }
        finally
        {
            cached?.Dispose();
        }
        var best = outcome.Best;
        return new TrainingOutcome(outcome.Epochs, best?.ValAccuracy ?? 0, outcome.BestEpoch, outcome.BestWeightsPath, outcome.Parameters,
            best?.Score ?? 0, best?.ValConfusion);
    }

    /// <summary>Builds the architecture, loads weights saved by <see cref="TrainAsync"/> and evaluates <paramref name="data"/>.</summary>
    public static EvaluationResult Evaluate(CnnArchitecture architecture, string weightsPath, ImageTensorData data, Device device)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(data);
        if (!File.Exists(weightsPath)) throw new FileNotFoundException($"No weights at {weightsPath}.", weightsPath);
        CheckShape(architecture, data, nameof(data));

        TorchNative.EnsureLoaded();
        using var model = CnnModelFactory.Build(architecture);
        model.load(weightsPath);
        model.to(device);
        return RunEvaluation(model, data, architecture.ClassCount, device, withProbabilities: true, CancellationToken.None);
    }

    private static void ValidateRequest(TrainingRequest request)
    {
        var settings = request.Config.Training;
        if (settings.Epochs < 1) throw new ArgumentException("Training needs at least one epoch.", nameof(request));
        if (settings.BatchSize < 1) throw new ArgumentException("Batch size must be at least 1.", nameof(request));
        if (settings.LearningRate <= 0) throw new ArgumentException("Learning rate must be positive.", nameof(request));
        if (settings.LabelSmoothing is < 0 or >= 1) throw new ArgumentException("Label smoothing must be in [0, 1).", nameof(request));
        if (!LearningRateSchedule.Names.Contains(settings.Schedule))
            throw new ArgumentException($"Unknown learning-rate schedule '{settings.Schedule}'. Valid schedules: {string.Join(", ", LearningRateSchedule.Names)}.", nameof(request));
        if (settings.Augmentation is { CropPadding: < 0 } or { ErasingProbability: < 0 or > 1 })
            throw new ArgumentException("Crop padding must not be negative and the erasing probability must be in [0, 1].", nameof(request));
        if (request.Train.Count == 0) throw new ArgumentException("The training set is empty.", nameof(request));
        if (request.Validation.Count == 0) throw new ArgumentException("The validation set is empty.", nameof(request));
        if (string.IsNullOrWhiteSpace(request.CheckpointFolder)) throw new ArgumentException("A checkpoint folder is required.", nameof(request));
        var modes = request.Config.Architecture.Backbone is null ? FineTuneSettings.Modes : FineTuneSettings.BackboneModes;
        if (request.Config.FineTune is { } fineTune && !modes.Contains(fineTune.Train))
            throw new ArgumentException($"Unknown fine-tuning mode '{fineTune.Train}'. Valid modes: {string.Join(", ", modes)}.", nameof(request));
        if (request.Config.FineTune is not null && request.InitialWeights is null)
            throw new ArgumentException("A fine-tuning trial needs the weights it starts from.", nameof(request));
        CheckShape(request.Config.Architecture, request.Train, nameof(request.Train));
        CheckShape(request.Config.Architecture, request.Validation, nameof(request.Validation));
    }

    private static void CheckShape(CnnArchitecture architecture, ImageTensorData data, string name)
    {
        if (data.Channels != architecture.InputChannels || data.Size != architecture.InputSize)
            throw new ArgumentException(
                $"{name} holds {data.Channels}x{data.Size}x{data.Size} images but the model expects " +
                $"{architecture.InputChannels}x{architecture.InputSize}x{architecture.InputSize}.");
        if (data.Labels.Any(l => l < 0 || l >= architecture.ClassCount))
            throw new ArgumentException($"{name} has labels outside 0..{architecture.ClassCount - 1}.");
    }

    // The loss of a training batch in `epoch`: the frozen features' head, or the augmented images through the network.
    private static Func<int[], Tensor> BatchLoss(Module<Tensor, Tensor> model, FrozenFeatures? cached, TrainingRequest request, int epoch)
    {
        var settings = request.Config.Training;
        var augmentation = new Augmentation(settings.Augmentation, request.Config.Architecture.Mean, Seeds.Combine(Seeds.Combine(request.Seed, epoch), AugmentationStream));
        return rows =>
        {
            Tensor logits, y;
            if (cached is not null) (logits, y) = cached.Train(rows, 0, rows.Length);
            else
            {
                (var x, y) = MakeBatch(request.Train, rows, 0, rows.Length, request.Device);
                logits = model.forward(augmentation.Apply(x));
            }
            return SmoothedCrossEntropy(logits, y, settings.LabelSmoothing);
        };
    }

    // PyTorch's definition: (1 - e) * cross-entropy + e * the mean over classes of -log p.
    private static Tensor SmoothedCrossEntropy(Tensor logits, Tensor labels, double smoothing)
    {
        if (smoothing <= 0) return nn.functional.cross_entropy(logits, labels);
        var logProbabilities = nn.functional.log_softmax(logits, 1);
        var nll = nn.functional.nll_loss(logProbabilities, labels);
        // Scalars held in locals until libtorch has read them (see StableOptimizer).
        using var keep = (1 - smoothing).ToScalar();
        using var spread = smoothing.ToScalar();
        return nll.mul(keep).sub(logProbabilities.mean([1]).mean().mul(spread));
    }

    private static EvaluationResult RunEvaluation(Module<Tensor, Tensor> model, ImageTensorData data, int classCount, Device device, bool withProbabilities,
        CancellationToken cancellationToken, FrozenFeatures? cached = null)
    {
        var confusion = Enumerable.Range(0, classCount).Select(_ => new int[classCount]).ToArray();
        var probabilities = withProbabilities ? new float[data.Count][] : [];
        if (data.Count == 0) return new EvaluationResult(0, 0, confusion, 0, probabilities);

        model.eval();
        using var noGrad = torch.no_grad();
        var order = Enumerable.Range(0, data.Count).ToArray();
        double lossSum = 0;
        var correct = 0;
        for (var start = 0; start < data.Count; start += EvaluationBatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(EvaluationBatchSize, data.Count - start);
            using var scope = torch.NewDisposeScope();
            Tensor logits, y;
            if (cached is not null) (logits, y) = cached.Validation(start, count);
            else
            {
                (var x, y) = MakeBatch(data, order, start, count, device);
                logits = model.forward(x);
            }
            lossSum += nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum).item<float>();
            var predicted = logits.argmax(1).cpu().data<long>().ToArray();
            var probs = withProbabilities ? nn.functional.softmax(logits, 1).cpu().data<float>().ToArray() : null;
            for (var i = 0; i < count; i++)
            {
                var truth = data.Labels[start + i];
                var guess = (int)predicted[i];
                confusion[truth][guess]++;
                if (truth == guess) correct++;
                if (probs is not null) probabilities[start + i] = probs.AsSpan(i * classCount, classCount).ToArray();
            }
        }
        return new EvaluationResult((double)correct / data.Count, lossSum / data.Count, confusion, data.Count, probabilities);
    }

    private static (Tensor X, Tensor Y) MakeBatch(ImageTensorData data, int[] order, int start, int count, Device device)
    {
        var length = data.ImageLength;
        var pixels = new float[count * length];
        var labels = new long[count];
        for (var i = 0; i < count; i++)
        {
            var item = order[start + i];
            Array.Copy(data.Pixels, (long)item * length, pixels, (long)i * length, length);
            labels[i] = data.Labels[item];
        }
        var x = torch.tensor(pixels, [count, data.Channels, data.Size, data.Size], device: device);
        var y = torch.tensor(labels, device: device);
        return (x, y);
    }
}
