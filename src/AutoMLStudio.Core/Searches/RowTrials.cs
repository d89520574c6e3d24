using System.Text.Json;
using AutoMLStudio.Core.Devices;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Text;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Core.Searches;

/// <summary>A proposed tabular or text trial: its configuration as stored on the trial row, and its computed cost.</summary>
public sealed record RowTrialProposal(string ConfigJson, long Params, long Flops);

/// <summary>
/// The tabular and text search spaces as a search sees them: the space to search, decoding a point into a trial with
/// its parameter and FLOP counts, encoding a stored trial back, training a trial and evaluating one on the test split.
/// </summary>
public sealed class RowTrials(IArtifactStore store, RowSearchDataStore rows, StudioDevices devices)
{
    public static ParameterSpace Space(string task) =>
        task == SearchTasks.TextClassification ? TextParameterSpace.Create() : TabularParameterSpace.Create();

    public static RowTrialProposal Decode(ParameterSet point, Search search, RowSearchData data)
    {
        if (search.Task == SearchTasks.TextClassification)
        {
            var text = TextParameterSpace.Decode(point, new TextSpaceContext(data.Tokenizer!.Size, data.Classes.Count, search.EpochsPerTrial()));
            return new RowTrialProposal(JsonSerializer.Serialize(text, EngineJson.Options),
                TextCost.CountParameters(text.Architecture), TextCost.CountFlops(text.Architecture));
        }
        var context = TabularSpaceContext.For(data.Plan!, Task(search), data.Classes.Count, search.EpochsPerTrial());
        var tabular = TabularParameterSpace.Decode(point, context);
        return new RowTrialProposal(JsonSerializer.Serialize(tabular, EngineJson.Options),
            TabularCost.CountParameters(tabular.Architecture), TabularCost.CountFlops(tabular.Architecture));
    }

    /// <summary>
    /// Median milliseconds of one prediction at batch size 1 on the search's device, from the architecture with untrained
    /// weights: the time depends on the architecture, not on the weights' values, so it serves before and after training.
    /// </summary>
    public double LatencyMs(string configJson, Search search)
    {
        var device = devices.TorchDeviceFor(search.Queue);
        return search.Task == SearchTasks.TextClassification
            ? LatencyMeter.MedianMillisecondsUntrained(Read<TextTrialConfig>(configJson).Architecture, device)
            : LatencyMeter.MedianMillisecondsUntrained(Read<TabularTrialConfig>(configJson).Architecture, device);
    }

    /// <summary>The trial's network and training settings in words, as the trial table shows them.</summary>
    public static (string Architecture, string Training) Describe(Trial trial, string task)
    {
        if (task == SearchTasks.TextClassification)
        {
            var text = Read<TextTrialConfig>(trial);
            return (TrialConfigDescription.Architecture(text.Architecture), TrialConfigDescription.Training(text.Training));
        }
        var tabular = Read<TabularTrialConfig>(trial);
        return (TrialConfigDescription.Architecture(tabular.Architecture), TrialConfigDescription.Training(tabular.Training));
    }

    public static ParameterSet Encode(Trial trial, Search search) =>
        search.Task == SearchTasks.TextClassification
            ? TextParameterSpace.Encode(Read<TextTrialConfig>(trial))
            : TabularParameterSpace.Encode(Read<TabularTrialConfig>(trial));

    public Task<SupervisedTrainingOutcome> TrainAsync(Trial trial, Search search, string queue, int threads, Func<SupervisedEpochReport, Task> onEpoch, CancellationToken ct)
    {
        var data = rows.Load(search.Id);
        var folder = store.FullPath(ArtifactPaths.TrialCheckpoints(search.Id, trial.Id));
        var device = devices.TorchDeviceFor(queue);
        var seed = search.Seed + trial.Number;
        if (search.Task == SearchTasks.TextClassification)
            return TextTrainer.TrainAsync(new TextTrainingRequest(Read<TextTrialConfig>(trial), data.Tokenizer!, data.Texts(data.Train),
                data.Texts(data.Validation), folder, seed, device, threads, search.EngineObjective()), onEpoch, ct);
        return TabularTrainer.TrainAsync(new TabularTrainingRequest(Read<TabularTrialConfig>(trial), data.Plan!, data.Tabular(data.Train),
            data.Tabular(data.Validation), folder, seed, device, SearchTasks.IsRegression(search.Task) ? search.Metric : null, threads,
            SearchTasks.IsRegression(search.Task) ? null : search.EngineObjective()), onEpoch, ct);
    }

    /// <summary>The trial's best weights on the held-out test split, with each example's prediction (classifiers only).</summary>
    public (TestEvaluation Evaluation, TestPredictions? Predictions) EvaluateOnTest(Trial trial, Search search)
    {
        var data = rows.Load(search.Id);
        // A trial carried over from a refined search keeps its weights in that search's folder.
        var weights = Path.Combine(store.FullPath(trial.Checkpoints()), "best.weights");
        var device = devices.TorchDeviceFor(search.Queue);
        var result = search.Task == SearchTasks.TextClassification
            ? TextTrainer.Evaluate(Read<TextTrialConfig>(trial).Architecture, weights, data.Tokenizer!, data.Texts(data.Test), device)
            : TabularTrainer.Evaluate(Read<TabularTrialConfig>(trial).Architecture, weights, data.Plan!, data.Tabular(data.Test), device);
        if (result.ConfusionMatrix is not { } counts)
            return (new TestEvaluation(0, result.Loss, data.Classes, [], result.Count, search.Metric, result.Metric(search.Metric),
                PerClass: [], Rmse: result.Rmse, Mae: result.Mae), null);
        var itemIds = data.Test.All(r => r.ItemId is not null) ? data.Test.Select(r => r.ItemId!.Value).ToList() : null;
        var predictions = TestPredictions.From(data.Classes, itemIds, data.Targets(data.Test).Labels, result.Probabilities);
        return (TestEvaluation.ForClassifier(search.EngineObjective(), result.Loss, data.Classes, counts), predictions);
    }

    private static PredictionTask Task(Search search) =>
        SearchTasks.IsRegression(search.Task) ? PredictionTask.Regression : PredictionTask.Classification;

    internal static T Read<T>(Trial trial) => Read<T>(trial.ConfigJson);

    private static T Read<T>(string configJson) =>
        JsonSerializer.Deserialize<T>(configJson, EngineJson.Options) ?? throw new InvalidDataException("A trial has no configuration.");
}
