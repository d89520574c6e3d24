using System.Diagnostics;
using System.Text.Json;
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
    public const string BestWeightsFile = "best.weights";

    /// <summary>File name of the checkpoint state (JSON) inside the checkpoint folder.</summary>
    public const string StateFile = "state.json";

    private const int EvaluationBatchSize = 256;

    /// <summary>File name of the weights after <paramref name="epoch"/> inside the checkpoint folder (kept until a later epoch is committed).</summary>
    public static string EpochWeightsFile(int epoch) => $"epoch-{epoch}.weights";

    // Mixed into the (seed, epoch) seed so augmentation draws a stream of its own, apart from shuffling and dropout.
    private const int AugmentationStream = 0x41756721;

    /// <summary>
    /// Trains for <c>Config.Training.Epochs</c> epochs with cross-entropy (label-smoothed when set) and Adam, AdamW or SGD
    /// (momentum 0.9, Nesterov when set) with weight decay; the learning rate follows <see cref="LearningRateSchedule"/>,
    /// stepped per batch, and each training batch is augmented (<see cref="Augmentation"/>).
    /// After each epoch it evaluates the validation set, then checkpoints: <c>epoch-N.weights</c> (model state
    /// including buffers) and <c>epoch-N.optimizer</c> (the optimizer's full state, e.g. Adam's moments and step counts,
    /// via TorchSharp's <c>save_state_dict</c>), <c>best.weights</c> when the request's objective improved on validation
    /// (direction-aware: a cost must fall), and last <c>state.json</c> (epoch reports with their validation confusion
    /// matrices, best epoch, file names), which is the commit point. Older state files without objective values still
    /// resume: their epochs are scored by accuracy, as they were trained. Every file is
    /// written to a temporary name and moved over the old one, so a crash leaves the previous checkpoint valid. Only then
    /// is <paramref name="onEpoch"/> awaited.
    /// <para>
    /// Resume: when the folder has a state file, the weights and optimizer state are loaded, <paramref name="onEpoch"/>
    /// is called for every finished epoch (so the caller can upsert rows it missed), and training continues with the
    /// next epoch at the schedule step saved in the state file. Each epoch reseeds torch from (seed, epoch), shuffles
    /// with <c>Random(seed + epoch)</c> and augments from a seed of (seed, epoch), so a resumed run reproduces an
    /// uninterrupted one exactly on the CPU.
    /// </para>
    /// <para>
    /// Every batch runs in its own dispose scope. Cancellation is checked between batches and throws
    /// <see cref="OperationCanceledException"/>; the last checkpoint stays valid. Compute runs synchronously on the calling
    /// thread; no dispose scope is held across the await of <paramref name="onEpoch"/>.
    /// </para>
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
        var bestPath = Path.Combine(request.CheckpointFolder, BestWeightsFile);

        torch.random.manual_seed(request.Seed);
        using var model = CnnModelFactory.Build(architecture);
        var state = CheckpointState.Load(request.CheckpointFolder);
        // A fine-tuning trial starts from the trained model's weights; once it has a checkpoint, it resumes from that.
        if (state is null && request.InitialWeights is { } initial) FineTuning.LoadStartingWeights(model, initial);
        model.to(request.Device);
        var parameterCount = model.parameters().Sum(p => p.numel());
        using var optimizer = FineTuning.CreateOptimizer(model, request.Config);

        var reports = new List<EpochReport>();
        if (state is not null)
        {
            model.load(Path.Combine(request.CheckpointFolder, state.WeightsFile));
            optimizer.Load(Path.Combine(request.CheckpointFolder, state.OptimizerFile));
            reports.AddRange(state.Epochs);
            foreach (var report in state.Epochs) await onEpoch(report);
        }
        var objective = request.Objective ?? Objective.Accuracy;
        var bestEpoch = state?.BestEpoch ?? 0;
        var batchesPerEpoch = BatchesPerEpoch(request.Train.Count, settings.BatchSize);
        var schedule = new LearningRateSchedule(settings.Schedule, settings.LearningRate, batchesPerEpoch * (long)settings.Epochs);
        // State files written before schedules existed have no step; every epoch then took the same number of batches.
        var step = state?.Step ?? batchesPerEpoch * (long)reports.Count;
        using var cached = FrozenFeatures.TryCreate(model, request, cancellationToken);

        for (var epoch = reports.Count + 1; epoch <= settings.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var trainLoss = TrainEpoch(model, cached, optimizer, schedule, ref step, request, epoch, cancellationToken);
            var validation = RunEvaluation(model, request.Validation, architecture.ClassCount, request.Device, withProbabilities: false, cancellationToken, cached);
            var confusion = new ConfusionMatrix(validation.ConfusionMatrix);
            var report = new EpochReport(epoch, trainLoss, validation.Loss, validation.Accuracy, clock.Elapsed.TotalSeconds,
                objective.Score(confusion), confusion);
            reports.Add(report);

            if (bestEpoch == 0 || objective.Metric.IsBetter(report.Score, reports[bestEpoch - 1].Score))
            {
                bestEpoch = epoch;
                WriteAtomically(bestPath, p => model.save(p));
            }
            state = SaveCheckpoint(request.CheckpointFolder, model, optimizer, reports, bestEpoch, step, state);
            await onEpoch(report);
        }

        var best = bestEpoch == 0 ? null : reports[bestEpoch - 1];
        return new TrainingOutcome(reports, best?.ValAccuracy ?? 0, bestEpoch, bestPath, parameterCount, best?.Score ?? 0, best?.ValConfusion);
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

    // Batches TrainEpoch takes from a set of `count` images: a lone trailing image is skipped (see there).
    private static long BatchesPerEpoch(int count, int batchSize) =>
        count / batchSize + (count % batchSize > 1 || count == 1 ? 1 : 0);

    private static double TrainEpoch(Module<Tensor, Tensor> model, FrozenFeatures? cached, StableOptimizer optimizer, LearningRateSchedule schedule, ref long step,
        TrainingRequest request, int epoch, CancellationToken cancellationToken)
    {
        // Per-epoch seeds (not one stream for the whole run) make a resumed run draw what an uninterrupted one would.
        torch.random.manual_seed(Seeds.Combine(request.Seed, epoch));
        var order = Enumerable.Range(0, request.Train.Count).ToArray();
        new Random(request.Seed + epoch).Shuffle(order);
        var settings = request.Config.Training;
        var augmentation = new Augmentation(settings.Augmentation, request.Config.Architecture.Mean, Seeds.Combine(Seeds.Combine(request.Seed, epoch), AugmentationStream));

        model.train();
        var batchSize = settings.BatchSize;
        double lossSum = 0;
        var seen = 0;
        for (var start = 0; start < order.Length; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(batchSize, order.Length - start);
            // Batch norm cannot train on a single image; a lone trailing image waits for the next epoch's shuffle.
            if (count == 1 && order.Length > 1) break;

            using var scope = torch.NewDisposeScope();
            Tensor logits, y;
            if (cached is not null) (logits, y) = cached.Train(order, start, count);
            else
            {
                (var x, y) = MakeBatch(request.Train, order, start, count, request.Device);
                logits = model.forward(augmentation.Apply(x));
            }
            schedule.Apply(optimizer, step++);
            optimizer.ZeroGrad();
            var loss = SmoothedCrossEntropy(logits, y, settings.LabelSmoothing);
            loss.backward();
            optimizer.Step();
            lossSum += loss.item<float>() * count;
            seen += count;
        }
        return lossSum / seen;
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

    private static CheckpointState SaveCheckpoint(string folder, Module<Tensor, Tensor> model, StableOptimizer optimizer,
        List<EpochReport> reports, int bestEpoch, long step, CheckpointState? previous)
    {
        var epoch = reports.Count;
        var state = new CheckpointState(epoch, reports.ToList(), bestEpoch, reports[bestEpoch - 1].ValAccuracy,
            EpochWeightsFile(epoch), $"epoch-{epoch}.optimizer", step);
        WriteAtomically(Path.Combine(folder, state.WeightsFile), p => model.save(p));
        WriteAtomically(Path.Combine(folder, state.OptimizerFile), optimizer.Save);
        WriteAtomically(Path.Combine(folder, StateFile), path => File.WriteAllText(path, JsonSerializer.Serialize(state, EngineJson.Options)));

        // Older epoch files are only dropped once the new state file points past them.
        if (previous is not null && previous.WeightsFile != state.WeightsFile)
        {
            File.Delete(Path.Combine(folder, previous.WeightsFile));
            File.Delete(Path.Combine(folder, previous.OptimizerFile));
        }
        return state;
    }

    private static void WriteAtomically(string path, Action<string> write) => CheckpointFiles.WriteAtomically(path, write);

    /// <summary>
    /// The commit record of a checkpoint folder. <see cref="BestValAccuracy"/> stays for folders written before objectives;
    /// the best epoch's objective value is read from its report. <paramref name="Step"/> is the learning-rate schedule's
    /// position (absent in folders written before schedules).
    /// </summary>
    private sealed record CheckpointState(int Epoch, List<EpochReport> Epochs, int BestEpoch, double BestValAccuracy, string WeightsFile, string OptimizerFile,
        long? Step = null)
    {
        public static CheckpointState? Load(string folder)
        {
            var path = Path.Combine(folder, StateFile);
            if (!File.Exists(path)) return null;
            var state = JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(path), EngineJson.Options)
                        ?? throw new InvalidDataException($"The checkpoint state {path} is empty.");
            if (state.Epochs.Count != state.Epoch)
                throw new InvalidDataException($"The checkpoint state {path} lists {state.Epochs.Count} epochs but says {state.Epoch}.");
            return state;
        }
    }
}
