using AutoMLStudio.Engine.Data;
using AutoMLStudio.Engine.Metrics;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Text;
using AutoMLStudio.Engine.Training;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Learners;

/// <summary>
/// A model family the search can try (image CNN cells, pretrained backbones, tabular MLP, text models): what it
/// searches, what a candidate costs before any training, how it trains with checkpoint and exact resume, how it
/// evaluates and how it exports. A candidate travels as its configuration JSON, the form a trial stores, so a learner
/// alone reads back what it proposed. The examples are what the task's data provides (<see cref="RowExamples"/>,
/// <see cref="ImageExamples"/>); a learner takes the kind it serves. Register a new one in <see cref="LearnerCatalog.All"/>.
/// </summary>
public interface ILearner
{
    /// <summary>The learner's name (<c>cnn</c>, <c>backbone</c>, <c>mlp</c>, <c>text</c>).</summary>
    string Name { get; }

    /// <summary>Whether the learner can train on data of this profile.</summary>
    bool Serves(DataProfile profile);

    /// <summary>The learner's part of the search space.</summary>
    ParameterSpace Space(DataProfile profile);

    /// <summary>
    /// Points of <see cref="Space"/> the search tries first, cheapest and strongest first (FLAML's cost-frugal order): a
    /// learner's well-known defaults, so a short budget already has a good model. Empty when it has none.
    /// </summary>
    IReadOnlyList<ParameterSet> StartingPoints(DataProfile profile);

    /// <summary>The candidate at <paramref name="point"/>, with its cost counted from the architecture (no training).</summary>
    LearnerCandidate Decode(ParameterSet point, DataProfile profile);

    /// <summary>A stored candidate's point of <see cref="Space"/>.</summary>
    ParameterSet Encode(string configJson);

    /// <summary>Median milliseconds of one prediction (batch size 1) by the untrained candidate: the time depends on the architecture, not on the weights.</summary>
    double LatencyMs(string configJson, Device device);

    /// <summary>The candidate's network and training settings in words.</summary>
    (string Architecture, string Training) Describe(string configJson);

    /// <summary>
    /// The candidate's configuration as this learner reads it, for the API and pages to show: what it would train, in
    /// today's shape, not the stored text (a configuration stored by an older release comes back with today's fields).
    /// </summary>
    System.Text.Json.JsonElement Configuration(string configJson);

    /// <summary>
    /// The candidate's settings in words, for comparing trials row by row; by default every value of
    /// <see cref="Configuration"/> (<see cref="LearnerSettings.Flatten"/>). <see cref="Learner{TConfig}"/> makes it virtual.
    /// </summary>
    IReadOnlyList<LearnerSetting> Settings(string configJson) => LearnerSettings.Flatten(Configuration(configJson));

    /// <summary>
    /// Trains the candidate on <paramref name="train"/>, choosing the best epoch on <paramref name="validation"/>; resumes
    /// from a checkpoint in the setup's folder, reporting its finished epochs again through <paramref name="onEpoch"/>.
    /// </summary>
    Task<SupervisedTrainingOutcome> TrainAsync(string configJson, DataProfile profile, LearnerExamples train, LearnerExamples validation,
        TrainingSetup setup, Func<SupervisedEpochReport, Task> onEpoch, CancellationToken cancellationToken);

    /// <summary>The weights at <paramref name="weightsPath"/> on <paramref name="data"/>.</summary>
    SupervisedEvaluation Evaluate(string configJson, string weightsPath, DataProfile profile, LearnerExamples data, Device device);

    /// <summary>The trained candidate as a self-contained ONNX graph; <paramref name="target"/>: regression's target standardisation, undone inside the graph.</summary>
    byte[] ExportOnnx(string configJson, string weightsPath, StandardScaling? target);
}

/// <summary>What a learner knows of the prepared data before training.</summary>
/// <param name="Task">Classification or regression.</param>
/// <param name="ClassCount">Classes (classification).</param>
/// <param name="MaxEpochs">Epochs a candidate trains.</param>
/// <param name="Plan">Tables: the preprocessing fitted on the training split.</param>
/// <param name="Tokenizer">Texts: the tokenizer fitted on the training split.</param>
/// <param name="Images">Images: their input size, channels and statistics, the space's context.</param>
public sealed record DataProfile(PredictionTask Task, int ClassCount, int MaxEpochs, TabularPreprocessingPlan? Plan = null, TextTokenizer? Tokenizer = null,
    SearchSpaceContext? Images = null);

/// <summary>A proposed candidate: its configuration as a trial stores it, and its cost.</summary>
public sealed record LearnerCandidate(string ConfigJson, long Parameters, long Flops);

/// <summary>Examples as a task's data provides them, with their targets; each learner takes the kind it serves.</summary>
public abstract record LearnerExamples(SupervisedTargets Targets);

/// <summary>Examples as rows carry them: a table's cells or a text, with the targets.</summary>
public sealed record RowExamples(IReadOnlyList<IReadOnlyDictionary<string, string?>> Values, IReadOnlyList<string?> Texts, SupervisedTargets Targets)
    : LearnerExamples(Targets);

/// <summary>Decoded images with their classes.</summary>
public sealed record ImageExamples(ImageTensorData Images, int ClassCount) : LearnerExamples(SupervisedTargets.Classes(Images.Labels, ClassCount));

/// <summary>Where and how a candidate trains.</summary>
/// <param name="CheckpointFolder">Folder owned by the trial; an existing checkpoint there is resumed.</param>
/// <param name="Seed">Seeds weights, shuffling and dropout.</param>
/// <param name="Device">Device to train on.</param>
/// <param name="Threads">Torch intra-op threads; 0 leaves torch's default.</param>
/// <param name="Objective">Classification: what picks the best epoch; null: accuracy.</param>
/// <param name="RegressionMetric">Regression: the metric that picks the best epoch (rmse or mae).</param>
/// <param name="InitialWeights">Images: the weights a fine-tuning candidate starts from (a registered model's, or a pretrained backbone's).</param>
public sealed record TrainingSetup(string CheckpointFolder, int Seed, Device Device, int Threads, Objective? Objective, string? RegressionMetric,
    string? InitialWeights = null);
