using System.Text.Json;

namespace AutoMLStudio.Engine.Spaces;

/// <summary>The JSON options for Engine records (trial configs, reports): web defaults, camelCase names.</summary>
public static class EngineJson
{
    /// <summary>Shared, read-only options (<see cref="JsonSerializerDefaults.Web"/>).</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        // Diverged trials report NaN losses; plain JSON has no NaN, so write it as the string "NaN".
        options.NumberHandling |= System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals;
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
