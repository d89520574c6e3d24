using System.Text.Json;
using AutoMLStudio.Engine.Spaces;

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

    public static TestEvaluation? TestEvaluation(this Search search) =>
        search.TestEvaluationJson is null ? null : JsonSerializer.Deserialize<TestEvaluation>(search.TestEvaluationJson, JsonSerializerOptions.Web);

    public static TrialConfig Config(this Trial trial) =>
        JsonSerializer.Deserialize<TrialConfig>(trial.ConfigJson, EngineJson.Options)
        ?? throw new InvalidDataException($"Trial {trial.Id} has no configuration.");

    public static SearchSpaceContext SpaceContext(this Search search)
    {
        var stats = search.Stats() ?? throw new InvalidOperationException($"Search {search.Id} has not been prepared.");
        return new SearchSpaceContext(search.InputChannels, search.InputSize, search.Classes().Count, stats.Mean, stats.Std,
            search.MaxEpochsPerTrial);
    }
}
