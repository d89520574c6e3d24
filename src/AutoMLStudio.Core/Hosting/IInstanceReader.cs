using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace AutoMLStudio.Core.Hosting;

/// <summary>
/// Turns a prediction request's JSON instances into a model's graph inputs, with the preprocessing registered with it;
/// each task that takes JSON instances has one (<see cref="Searches.Pipelines.ITaskModels.InstanceReader"/>).
/// Bad instances are a <see cref="UserInputException"/> that names the instance.
/// </summary>
public interface IInstanceReader
{
    /// <summary>What an instance must carry, in words.</summary>
    string Describe();

    /// <summary>The graph answers one number per instance (regression) rather than class probabilities.</summary>
    bool Regression { get; }

    IReadOnlyCollection<NamedOnnxValue> Read(IReadOnlyList<JsonElement> instances);
}

/// <summary>Checks shared by the instance readers.</summary>
internal static class Instances
{
    public static JsonElement Object(JsonElement instance, int index) => instance.ValueKind == JsonValueKind.Object
        ? instance
        : throw new UserInputException("Instance not an object", $"Instance {index} is {instance.ValueKind.ToString().ToLowerInvariant()}, not an object of column values.");
}
