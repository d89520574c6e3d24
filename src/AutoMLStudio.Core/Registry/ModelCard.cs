using System.Text.Json;
using System.Text.Json.Serialization;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Core.Searches.Pipelines;
using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Core.Registry;

/// <summary>
/// What a downloaded model needs to be used outside the studio: classes in output order, how to prepare an input,
/// the architecture to rebuild it, what it scored and what the team wrote about its use.
/// </summary>
/// <param name="Input">Images: size, colour and normalization. Null for tabular and text models.</param>
/// <param name="Rows">Tabular and text models: the fields an instance carries. Null for images.</param>
/// <param name="Configuration">The trial's architecture and training settings, as the search stored them.</param>
public sealed record ModelCard(
    string Name,
    int Version,
    SearchTask Task,
    IReadOnlyList<string> Classes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ModelInput? Input,
    JsonElement Configuration,
    long Parameters,
    long? Flops,
    ModelMetrics Metrics,
    ModelLineage Lineage,
    string? TrainedOn = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RowInput? Rows = null,
    double? LatencyMs = null,
    string? IntendedUse = null,
    string? Notes = null)
{
    public static readonly JsonSerializerOptions JsonOptions = new(EngineJson.Options) { WriteIndented = true };

    public static ModelCard From(string name, int version, Trial trial, Search search, RowInput? rows)
    {
        var test = search.BestTrialId == trial.Id ? search.TestEvaluation : null;
        var input = TaskPipelines.ModelsOf(search.Task).ImageInput(trial, search);
        using var config = JsonDocument.Parse(trial.ConfigJson);
        return new ModelCard(
            name, version, search.Task, search.Classes, input, config.RootElement.Clone(), trial.Params, trial.Flops,
            new ModelMetrics(search.Metric, trial.ValMetric, test?.Accuracy, test?.ConfusionMatrix, test?.MetricValue, test?.MacroF1, test?.Cost,
                test?.PerClass, test?.Rmse, test?.Mae),
            new ModelLineage(search.DatasetId, search.DatasetVersionId, search.Id, trial.Id, trial.Number,
                typeof(ModelCard).Assembly.GetName().Version?.ToString() ?? "0"),
            TrainingDescription(trial, search), rows, trial.LatencyMs);
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static ModelCard FromJson(string json) =>
        JsonSerializer.Deserialize<ModelCard>(json, JsonOptions) ?? throw new InvalidDataException("The model card is empty.");

    private static string TrainingDescription(Trial trial, Search search) =>
        search.BestTrialId == trial.Id && search.FinalRetrain is { State: FinalRetrainState.Done } retrain
            ? retrain.TrainedOn
            : "train, weights of the best validation epoch";
}

public sealed record ModelInput(int Channels, int Height, int Width, string ColorMode, string Preprocessing, float[] Mean, float[] Std);

/// <summary>What one instance of a tabular or text model carries.</summary>
/// <param name="Fields">Tabular: the columns the model reads (others are ignored); text: the single field <c>text</c>.</param>
/// <param name="Preprocessing">How fields become network inputs; the rules themselves are in preprocessing.json.</param>
public sealed record RowInput(IReadOnlyList<string> Fields, string Preprocessing);

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
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? TestCost = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ClassTestScores>? TestPerClass = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? TestRmse = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? TestMae = null);

public sealed record ModelLineage(Guid DatasetId, Guid? DatasetVersionId, Guid SearchId, Guid TrialId, int TrialNumber, string StudioVersion);
