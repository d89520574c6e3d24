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
/// Tabular and text trials as a search sees them, each through the task's learner (<see cref="LearnerCatalog"/>): the space to
/// search, decoding a point into a trial with its parameter and FLOP counts, encoding a stored trial back, training a
/// trial and evaluating one on the test split.
/// </summary>
public sealed class RowTrials(IArtifactStore store, RowSearchDataStore rows, StudioDevices devices)
{
    /// <summary>The learner a row task trains: the table's MLP, or the text classifiers.</summary>
    public static ILearner Learner(SearchTask task) => LearnerCatalog.Named(TaskPipelines.ModelsOf(task).RowLearner
        ?? throw new ArgumentException($"'{task.Name()}' does not train on rows.", nameof(task)));

    /// <summary>
    /// The learner of a stored configuration: the one its <c>learner</c> field names, else the task's (configurations stored
    /// before trials named their learner).
    /// </summary>
    public static ILearner LearnerOf(string configJson, SearchTask task)
    {
        using var config = JsonDocument.Parse(configJson);
        return config.RootElement.ValueKind == JsonValueKind.Object && config.RootElement.TryGetProperty("learner", out var name)
               && name.ValueKind == JsonValueKind.String
            ? LearnerCatalog.Named(name.GetString()!)
            : Learner(task);
    }

    /// <summary>Whether the trial combines other trials (an ensemble) rather than being a point the strategy proposed.</summary>
    public static bool IsEnsemble(Trial trial)
    {
        using var config = JsonDocument.Parse(trial.ConfigJson);
        return config.RootElement.ValueKind == JsonValueKind.Object && config.RootElement.TryGetProperty("learner", out var name)
               && name.ValueKind == JsonValueKind.String && name.GetString() == EnsembleLearner.LearnerName;
    }

    public static ParameterSpace Space(SearchTask task) => Learner(task).Space(new DataProfile(Task(task), 0, 0));

    public static RowTrialProposal Decode(ParameterSet point, Search search, RowSearchData data)
    {
        var candidate = Learner(search.Task).Decode(point, Profile(search, data));
        return new RowTrialProposal(candidate.ConfigJson, candidate.Parameters, candidate.Flops);
    }

    /// <summary>
    /// Median milliseconds of one prediction at batch size 1 on the search's device, from the architecture with untrained
    /// weights: the time depends on the architecture, not on the weights' values, so it serves before and after training.
    /// </summary>
    public double LatencyMs(string configJson, Search search) => LearnerOf(configJson, search.Task).LatencyMs(configJson, devices.TorchDeviceFor(search.Queue));

    /// <summary>The trial's network and training settings in words, as the trial table shows them.</summary>
    public static (string Architecture, string Training) Describe(Trial trial, SearchTask task) => LearnerOf(trial.ConfigJson, task).Describe(trial.ConfigJson);

    public static ParameterSet Encode(Trial trial, Search search) => LearnerOf(trial.ConfigJson, search.Task).Encode(trial.ConfigJson);

    public Task<SupervisedTrainingOutcome> TrainAsync(Trial trial, Search search, string queue, int threads, Func<SupervisedEpochReport, Task> onEpoch, CancellationToken ct)
    {
        var data = rows.Load(search.Id);
        var regression = SearchTasks.IsRegression(search.Task);
        var setup = new TrainingSetup(store.FullPath(ArtifactPaths.TrialCheckpoints(search.Id, trial.Id)), search.Seed + trial.Number,
            devices.TorchDeviceFor(queue), threads, regression ? null : search.EngineObjective(), regression ? search.Metric : null);
        return Learner(search.Task).TrainAsync(trial.ConfigJson, Profile(search, data), data.Examples(data.Train), data.Examples(data.Validation),
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
