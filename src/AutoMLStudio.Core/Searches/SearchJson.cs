using System.Text.Json;
using AutoMLStudio.Engine.Metrics;
using AutoMLStudio.Engine.Spaces;
// Named apart from the Objective() reader below, which a member lookup inside this class would find first.
using EngineObjectiveModel = AutoMLStudio.Engine.Metrics.Objective;

namespace AutoMLStudio.Core.Searches;

/// <summary>Reading the JSON columns of a search and its trials.</summary>
public static class SearchJson
{
    public static IReadOnlyList<string> Classes(this Search search) =>
        JsonSerializer.Deserialize<List<string>>(search.ClassesJson) ?? [];

    public static InputStats? Stats(this Search search) =>
        search.InputStatsJson is null ? null : JsonSerializer.Deserialize<InputStats>(search.InputStatsJson, JsonSerializerOptions.Web);

    public static ObjectiveRequest Objective(this Search search) =>
        JsonSerializer.Deserialize<ObjectiveRequest>(search.ObjectiveJson, JsonSerializerOptions.Web) ?? new ObjectiveRequest("accuracy", null, null);

    /// <summary>The metric the search optimises; searches stored before objectives optimised accuracy.</summary>
    public static MetricDefinition MetricDefinition(this Search search) => MetricCatalog.Find(search.Metric) ?? MetricCatalog.Accuracy;

    /// <summary>What the search optimises, as the Engine scores it (checked by StartSearch when it was stored).</summary>
    public static EngineObjectiveModel EngineObjective(this Search search)
    {
        var metric = search.MetricDefinition();
        return metric == MetricCatalog.Accuracy ? EngineObjectiveModel.Accuracy
            : new EngineObjectiveModel(metric, metric.NeedsCostMatrix ? search.Objective().CostMatrix : null);
    }

    public static FinalRetrainState? FinalRetrain(this Search search) =>
        search.FinalRetrainJson is null ? null : JsonSerializer.Deserialize<FinalRetrainState>(search.FinalRetrainJson, JsonSerializerOptions.Web);

    /// <summary>The trial's validation confusion matrix at its best epoch, when recorded.</summary>
    public static ConfusionMatrix? ValConfusion(this Trial trial) =>
        trial.ValConfusionJson is null ? null : JsonSerializer.Deserialize<ConfusionMatrix>(trial.ValConfusionJson);

    /// <summary>The test evaluation; for searches completed before objectives (which optimised accuracy) the missing scores are filled in from the confusion matrix.</summary>
    public static TestEvaluation? TestEvaluation(this Search search)
    {
        if (search.TestEvaluationJson is null) return null;
        var test = JsonSerializer.Deserialize<TestEvaluation>(search.TestEvaluationJson, JsonSerializerOptions.Web);
        if (test is null || test.PerClass is not null) return test;
        var confusion = new ConfusionMatrix(test.ConfusionMatrix);
        return test with
        {
            Metric = search.Metric, MetricValue = test.Accuracy, MacroF1 = ClassificationMetrics.MacroF1(confusion),
            PerClass = ClassTestScores.From(confusion, test.Classes),
        };
    }

    public static TrialConfig Config(this Trial trial) =>
        JsonSerializer.Deserialize<TrialConfig>(trial.ConfigJson, EngineJson.Options)
        ?? throw new InvalidDataException($"Trial {trial.Id} has no configuration.");

    public static SearchSpaceContext SpaceContext(this Search search)
    {
        var stats = search.Stats() ?? throw new InvalidOperationException($"Search {search.Id} has not been prepared.");
        return new SearchSpaceContext(search.InputChannels, search.InputSize, search.Classes().Count, stats.Mean, stats.Std,
            search.EpochsPerTrial());
    }
}
