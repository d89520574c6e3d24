using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AutoMLStudio.Engine.Learners;

/// <summary>One setting of a candidate, named and valued as a person reads it, for laying trials side by side.</summary>
/// <param name="Name">The setting in words ("Number of leaves").</param>
/// <param name="Value">Its value in words.</param>
/// <param name="Training">A training setting (learning rate, epochs) rather than one of the model.</param>
public sealed record LearnerSetting(string Name, string Value, bool Training = false);

/// <summary>A configuration's settings read from its JSON, for learners that say nothing better (<see cref="ILearner.Settings"/>).</summary>
public static class LearnerSettings
{
    /// <summary>
    /// Every number, word and yes/no of <paramref name="configuration"/> (the learner's <see cref="ILearner.Configuration"/>),
    /// named by its member in words; members under <c>training</c> are training settings. The <c>learner</c> member is left out.
    /// </summary>
    public static IReadOnlyList<LearnerSetting> Flatten(JsonElement configuration)
    {
        var settings = new List<LearnerSetting>();
        if (configuration.ValueKind == JsonValueKind.Object) Add(settings, configuration, parent: null, training: false, top: true);
        return settings;
    }

    /// <summary>"numberOfLeaves" as "Number of leaves".</summary>
    public static string Words(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var words = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && words.Length > 0) words.Append(' ');
            words.Append(words.Length == 0 ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
        }
        return words.ToString();
    }

    private static void Add(List<LearnerSetting> settings, JsonElement element, string? parent, bool training, bool top)
    {
        foreach (var member in element.EnumerateObject())
        {
            if (top && member.Name == LearnerChoice.Dimension) continue;
            var isTraining = training || (top && member.Name == "training");
            // The top level's groups (architecture, training) say nothing a setting's own name does not.
            var name = parent is null ? Words(member.Name) : $"{parent} {Words(member.Name).ToLowerInvariant()}";
            if (member.Value.ValueKind == JsonValueKind.Object)
            {
                Add(settings, member.Value, top ? null : name, isTraining, top: false);
                continue;
            }
            if (Value(member.Value) is { } value) settings.Add(new LearnerSetting(name, value, isTraining));
        }
    }

    private static string? Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble().ToString("G4", CultureInfo.InvariantCulture),
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        JsonValueKind.Array => value.EnumerateArray().All(v => v.ValueKind is JsonValueKind.Number or JsonValueKind.String)
            ? string.Join(", ", value.EnumerateArray().Select(Value)) : $"{value.GetArrayLength()} items",
        _ => null,
    };
}
