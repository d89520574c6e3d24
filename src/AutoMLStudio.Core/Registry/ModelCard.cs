using System.Text.Json;
using System.Text.Json.Serialization;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Core.Registry;

/// <summary>
/// What a downloaded model needs to be used outside the studio: classes in output order, how to prepare an input,
/// the architecture to rebuild it, and what it scored.
/// </summary>
public sealed record ModelCard(
    string Name,
    int Version,
    string Task,
    IReadOnlyList<string> Classes,
    ModelInput Input,
    TrialConfig Configuration,
    long Parameters,
    long? Flops,
    ModelMetrics Metrics,
    ModelLineage Lineage,
    string? TrainedOn = null)
{
    public static readonly JsonSerializerOptions JsonOptions = new(EngineJson.Options) { WriteIndented = true };

    public static ModelCard From(string name, int version, Trial trial, Search search)
    {
        var stats = search.Stats();
        var test = search.BestTrialId == trial.Id ? search.TestEvaluation() : null;
        return new ModelCard(
            name, version, search.Task, search.Classes(),
            new ModelInput(search.InputChannels, search.InputSize, search.InputSize,
                search.InputChannels == 1 ? "grayscale" : "rgb",
                "float32[N,C,H,W]: decode, resize to H×W, scale pixels to [0,1]; the network normalizes with the mean and std below itself",
                stats?.Mean ?? [], stats?.Std ?? []),
            trial.Config(), trial.Params, trial.Flops,
            new ModelMetrics(search.Metric, trial.ValMetric, test?.Accuracy, test?.ConfusionMatrix, test?.MetricValue, test?.MacroF1, test?.Cost),
            new ModelLineage(search.DatasetId, search.Id, trial.Id, trial.Number, typeof(ModelCard).Assembly.GetName().Version?.ToString() ?? "0"),
            TrainingDescription(trial, search));
    }

    private static string TrainingDescription(Trial trial, Search search) =>
        search.BestTrialId == trial.Id && search.FinalRetrain() is { State: FinalRetrainState.Done } retrain
            ? retrain.TrainedOn
            : "train, weights of the best validation epoch";
}

public sealed record ModelInput(int Channels, int Height, int Width, string ColorMode, string Preprocessing, float[] Mean, float[] Std);

/// <param name="Test">Test accuracy.</param>
/// <param name="TestMetricValue">The search's metric on the test split (cost: lower is better).</param>
/// <param name="TestCost">Expected cost per item under the search's cost matrix; only with one.</param>
public sealed record ModelMetrics(
    string Metric,
    double? Validation,
    double? Test,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int[][]? TestConfusionMatrix,
    double? TestMetricValue = null,
    double? TestMacroF1 = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? TestCost = null);

public sealed record ModelLineage(Guid DatasetId, Guid SearchId, Guid TrialId, int TrialNumber, string StudioVersion);
