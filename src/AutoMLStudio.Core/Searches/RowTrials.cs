using System.Collections.Concurrent;
using System.Text.Json;
using AutoMLStudio.Core.Devices;
using AutoMLStudio.Core.Searches.Pipelines;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Engine.Learners;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Core.Searches;

/// <summary>A proposed tabular or text trial: its configuration as stored on the trial row, and its computed cost.</summary>
public sealed record RowTrialProposal(string ConfigJson, long Params, long Flops);

/// <summary>
/// Tabular and text trials as a search sees them, each through its own learner: every learner of <see cref="LearnerCatalog"/>
/// that serves the search's data is a choice of one flat space (<see cref="LearnerChoice"/>), a trial's configuration names
/// its learner, and one stored before there was a choice is the task's old learner (<see cref="ITaskModels.RowLearner"/>).
/// The space to search, decoding a point into a trial with its parameter and FLOP counts, encoding a stored trial back,
/// training a trial and evaluating one on the test split all ask the trial's learner.
/// </summary>
public sealed class RowTrials(IArtifactStore store, RowSearchDataStore rows, StudioDevices devices)
{
    // The choice as the pages read it, before or without the search's data: the same for every search of a task.
    private static readonly ConcurrentDictionary<SearchTask, LearnerChoice> Shapes = new();

    /// <summary>The task's learner before there was a choice: what a configuration without a <c>learner</c> member is (the table's MLP, the text classifiers).</summary>
    public static ILearner Learner(SearchTask task) => LearnerCatalog.Named(OldLearner(task));

    /// <summary>Whether the trial combines other trials (an ensemble) rather than being a point the strategy proposed.</summary>
    public static bool IsEnsemble(Trial trial) => LearnerChoice.LearnerOf(trial.ConfigJson, "") == EnsembleLearner.LearnerName;

    /// <summary>The learner that trains <paramref name="configJson"/>: the one it names, or the task's old learner.</summary>
    public static ILearner LearnerOf(string configJson, SearchTask task) => LearnerCatalog.Named(LearnerChoice.LearnerOf(configJson, OldLearner(task)));

    /// <summary>The learners a search of <paramref name="task"/> chooses from, as the pages read them (no data: a profile of the task's kind).</summary>
    public static LearnerChoice Choice(SearchTask task) => Shapes.GetOrAdd(task, t => LearnerChoice.For(
        TaskPipelines.ModelsOf(t).RowProfile(Task(t)) ?? throw new ArgumentException($"'{t.Name()}' does not train on rows.", nameof(task))));

    /// <summary>The learners the search chooses from on its prepared data.</summary>
    public static LearnerChoice Choice(Search search, RowSearchData data) => LearnerChoice.For(Profile(search, data));

    public static ParameterSpace Space(SearchTask task) => Choice(task).Space;

    public static RowTrialProposal Decode(ParameterSet point, LearnerChoice choice)
    {
        var candidate = choice.Decode(point);
        return new RowTrialProposal(candidate.ConfigJson, candidate.Parameters, candidate.Flops);
    }

    /// <summary>
    /// Median milliseconds of one prediction at batch size 1 on the search's device, from the architecture with untrained
    /// weights: the time depends on the architecture, not on the weights' values, so it serves before and after training.
    /// </summary>
    public double LatencyMs(string configJson, Search search) => LearnerOf(configJson, search.Task).LatencyMs(configJson, devices.TorchDeviceFor(search.Queue));

    /// <summary>
    /// The trial's network and training settings in words, as the trial table shows them; the learner's name leads where
    /// its words do not already say it ("MLP · linear" is not the linear learner).
    /// </summary>
    public static (string Architecture, string Training) Describe(Trial trial, SearchTask task)
    {
        var learner = LearnerOf(trial.ConfigJson, task);
        var (architecture, training) = learner.Describe(trial.ConfigJson);
        var name = LearnerNames.Display(learner.Name);
        return (architecture.StartsWith(name, StringComparison.OrdinalIgnoreCase) ? architecture : $"{name} · {architecture}", training);
    }

    /// <summary>The trial's configuration as its learner reads it, with <c>"learner"</c> first (also for one stored before there was a choice).</summary>
    public static JsonElement Configuration(Trial trial, SearchTask task)
    {
        var learner = LearnerOf(trial.ConfigJson, task);
        using var named = JsonDocument.Parse(LearnerChoice.Named(learner.Configuration(trial.ConfigJson).GetRawText(), learner.Name));
        return named.RootElement.Clone();
    }

    public static ParameterSet Encode(Trial trial, Search search) => Choice(search.Task).Encode(trial.ConfigJson, OldLearner(search.Task));

    /// <summary>The trained network of the trial's learner as a self-contained ONNX graph.</summary>
    public static byte[] ExportOnnx(SearchTask task, string configJson, string weightsPath, StandardScaling? target) =>
        LearnerOf(configJson, task).ExportOnnx(configJson, weightsPath, target);

    internal static string OldLearner(SearchTask task) => TaskPipelines.ModelsOf(task).RowLearner
        ?? throw new ArgumentException($"'{task.Name()}' does not train on rows.", nameof(task));

    public Task<SupervisedTrainingOutcome> TrainAsync(Trial trial, Search search, string queue, int threads, Func<SupervisedEpochReport, Task> onEpoch, CancellationToken ct)
    {
        var data = rows.Load(search.Id);
        var regression = SearchTasks.IsRegression(search.Task);
        var setup = new TrainingSetup(store.FullPath(ArtifactPaths.TrialCheckpoints(search.Id, trial.Id)), search.Seed + trial.Number,
            devices.TorchDeviceFor(queue), threads, regression ? null : search.EngineObjective(), regression ? search.Metric : null);
        return LearnerOf(trial.ConfigJson, search.Task).TrainAsync(trial.ConfigJson, Profile(search, data), data.Examples(data.Train), data.Examples(data.Validation),
            setup, onEpoch, ct);
    }

    /// <summary>The trial's best weights on the held-out test split, with each example's prediction (classifiers only).</summary>
    public (TestEvaluation Evaluation, TestPredictions? Predictions) EvaluateOnTest(Trial trial, Search search)
    {
        var data = rows.Load(search.Id);
        // A trial carried over from a refined search keeps its weights in that search's folder.
        var weights = Path.Combine(store.FullPath(trial.Checkpoints()), "best.weights");
        var result = LearnerOf(trial.ConfigJson, search.Task).Evaluate(trial.ConfigJson, weights, Profile(search, data), data.Examples(data.Test),
            devices.TorchDeviceFor(search.Queue));
        if (result.ConfusionMatrix is not { } counts)
            return (new TestEvaluation(0, result.Loss, data.Classes, [], result.Count, search.Metric, result.Metric(search.Metric),
                PerClass: [], Rmse: result.Rmse, Mae: result.Mae), null);
        var itemIds = data.Test.All(r => r.ItemId is not null) ? data.Test.Select(r => r.ItemId!.Value).ToList() : null;
        var predictions = TestPredictions.From(data.Classes, itemIds, data.Targets(data.Test).Labels, result.Probabilities);
        return (TestEvaluation.ForClassifier(search.EngineObjective(), result.Loss, data.Classes, counts), predictions);
    }

    internal static DataProfile Profile(Search search, RowSearchData data) =>
        new(Task(search.Task), data.Classes.Count, search.EpochsPerTrial(), data.Plan, data.Tokenizer);

    private static PredictionTask Task(SearchTask task) => SearchTasks.IsRegression(task) ? PredictionTask.Regression : PredictionTask.Classification;

    internal static T Read<T>(Trial trial) =>
        JsonSerializer.Deserialize<T>(trial.ConfigJson, EngineJson.Options) ?? throw new InvalidDataException("A trial has no configuration.");
}
