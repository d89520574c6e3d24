using System.Text.Json.Serialization;

namespace AutoMLStudio.Core.Hosting;

/// <summary>One instance's prediction: a classifier's label with its probability and every class's, or a regression's value.</summary>
public sealed record Prediction(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Label,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Score,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, double>? Scores,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Value = null);
