using System.Text.Json;
using AutoMLStudio.Engine.Metrics;
using AutoMLStudio.Engine.Spaces;
// Named apart from the Objective() reader below, which a member lookup inside this class would find first.
using EngineObjectiveModel = AutoMLStudio.Engine.Metrics.Objective;

namespace AutoMLStudio.Core.Searches;

/// <summary>What a search's and a trial's stored settings mean to the Engine.</summary>
public static class SearchJson
{
    /// <summary>The metric the search optimises (StartSearch checked it; older searches' empty metric became accuracy by migration).</summary>
    public static MetricDefinition MetricDefinition(this Search search) => MetricCatalog.Find(search.Metric)
        ?? throw new InvalidDataException($"Search {search.Id} has the unknown metric '{search.Metric}'.");

    /// <summary>What the search optimises, as the Engine scores it (checked by StartSearch when it was stored).</summary>
    public static EngineObjectiveModel EngineObjective(this Search search)
    {
        var metric = search.MetricDefinition();
        return metric == MetricCatalog.Accuracy ? EngineObjectiveModel.Accuracy
            : new EngineObjectiveModel(metric, metric.NeedsCostMatrix ? search.Objective.CostMatrix : null);
    }

    public static TrialConfig Config(this Trial trial) =>
        JsonSerializer.Deserialize<TrialConfig>(trial.ConfigJson, EngineJson.Options)
        ?? throw new InvalidDataException($"Trial {trial.Id} has no configuration.");

    public static SearchSpaceContext SpaceContext(this Search search)
    {
        var stats = search.InputStats ?? throw new InvalidOperationException($"Search {search.Id} has not been prepared.");
        return new SearchSpaceContext(search.InputChannels, search.InputSize, search.Classes.Count, stats.Mean, stats.Std,
            search.EpochsPerTrial());
    }
}
