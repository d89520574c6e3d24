using System.Text.Json;
using AutoMLStudio.Engine.Learners;
using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Core.Registry;

/// <summary>The few card fields the models list shows; read leniently so an older card never breaks the page.</summary>
public sealed record ModelCardSummary(double? TestAccuracy, double? ValAccuracy, long? Parameters, IReadOnlyList<string> Classes, string? Network = null)
{
    public static ModelCardSummary Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var metrics = Property(root, "metrics");
            var classes = Property(root, "classes") is { ValueKind: JsonValueKind.Array } list
                ? list.EnumerateArray().Select(c => c.GetString() ?? "").ToList()
                : [];
            return new ModelCardSummary(Number(metrics, "test"), Number(metrics, "validation"),
                Property(root, "parameters") is { ValueKind: JsonValueKind.Number } p ? p.GetInt64() : null, classes, DescribeNetwork(root));
        }
        catch (JsonException)
        {
            return new ModelCardSummary(null, null, null, []);
        }
    }

    private static string? DescribeNetwork(JsonElement root)
    {
        if (Property(root, "configuration") is not { ValueKind: JsonValueKind.Object } configuration) return null;
        try
        {
            // A configuration that names its learner (every table and text trial since learners became a choice) is
            // described by it; an image configuration is a network the CNN words describe.
            if (LearnerChoice.LearnerOf(configuration.GetRawText(), "") is { Length: > 0 } learner)
                return LearnerCatalog.Named(learner).Describe(configuration.GetRawText()).Architecture;
            var config = configuration.Deserialize<TrialConfig>(EngineJson.Options);
            return config is null ? null : TrialConfigDescription.Architecture(config.Architecture);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidDataException)
        {
            return null;
        }
    }

    private static JsonElement? Property(JsonElement? element, string name)
    {
        if (element is not { ValueKind: JsonValueKind.Object } obj) return null;
        foreach (var property in obj.EnumerateObject())
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase)) return property.Value;
        return null;
    }

    private static double? Number(JsonElement? element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.Number } value ? value.GetDouble() : null;
}
