using AutoMLStudio.Engine.Models;
using AutoMLStudio.Engine.Onnx;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Training;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Learners;

/// <summary>
/// What the image learners share: a candidate is a <see cref="TrialConfig"/> (a network of <see cref="CnnModelFactory"/>),
/// trained by <see cref="ImageClassifierTrainer"/> in the loop every neural learner shares, evaluated on decoded
/// images and exported with the input normalisation inside the graph. The learners differ in what they search.
/// </summary>
public abstract class ImageLearner : Learner<TrialConfig>
{
    public override bool Serves(DataProfile profile) => profile.Images is not null;

    protected override double LatencyMs(TrialConfig config, Device device) => LatencyMeter.MedianMillisecondsUntrained(config.Architecture, device);

    protected override (string Architecture, string Training) Describe(TrialConfig config) =>
        (TrialConfigDescription.Architecture(config.Architecture), TrialConfigDescription.Training(config));

    public override async Task<SupervisedTrainingOutcome> TrainAsync(string configJson, DataProfile profile, LearnerExamples train, LearnerExamples validation,
        TrainingSetup setup, Func<SupervisedEpochReport, Task> onEpoch, CancellationToken cancellationToken)
    {
        var objective = setup.Objective ?? Metrics.Objective.Accuracy;
        var request = new TrainingRequest(Read(configJson), Take<ImageExamples>(train).Images, Take<ImageExamples>(validation).Images,
            setup.CheckpointFolder, setup.Seed, setup.Device, setup.Threads, setup.Objective, setup.InitialWeights);
        var outcome = await ImageClassifierTrainer.TrainAsync(request, report => onEpoch(Report(report)), cancellationToken);
        return new SupervisedTrainingOutcome([.. outcome.Epochs.Select(Report)], objective.Metric.Name, outcome.BestValMetric, outcome.BestEpoch,
            outcome.BestWeightsPath, outcome.Parameters);
    }

    public override SupervisedEvaluation Evaluate(string configJson, string weightsPath, DataProfile profile, LearnerExamples data, Device device)
    {
        var result = ImageClassifierTrainer.Evaluate(Read(configJson).Architecture, weightsPath, Take<ImageExamples>(data).Images, device);
        return new SupervisedEvaluation(result.Count, result.Loss, result.Accuracy, result.ConfusionMatrix, result.Probabilities, null, null, null);
    }

    public override byte[] ExportOnnx(string configJson, string weightsPath, StandardScaling? target)
    {
        var architecture = Read(configJson).Architecture;
        return ExportTrained(() => CnnModelFactory.Build(architecture), weightsPath, model => OnnxExport.ImageClassifier(architecture, model));
    }

    // Checkpoints from before objectives have no metric: their epochs were chosen by accuracy, which is what Score gives.
    private static SupervisedEpochReport Report(EpochReport report) =>
        new(report.Epoch, report.TrainLoss, report.ValLoss, report.Score, report.Seconds, report.ValConfusion?.ToArray(), report.ValAccuracy);
}
