using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Core.Searches.Pipelines;

/// <summary>
/// What a task's trials look like from their rows alone (no services, no data): the flat space its strategies
/// explore and a stored trial's point in it, and the memory a trial needs to train.
/// </summary>
public interface ITrialShape
{
    /// <summary>The flat space the search's strategies explore; null while it depends on data not yet prepared.</summary>
    ParameterSpace? Space(Search search);

    /// <summary>The stored trial's point of <see cref="Space"/>.</summary>
    ParameterSet Encode(Trial trial, Search search);

    /// <summary>The trial's network and training settings in words, as the trial table shows them.</summary>
    /// <exception cref="System.Text.Json.JsonException">The stored configuration cannot be read (also <see cref="InvalidDataException"/> or <see cref="ArgumentException"/>).</exception>
    (string Architecture, string Training) Describe(Trial trial, Search search);

    /// <summary>The trial's configuration as its learner reads it, for the API and pages (never the stored text as is).</summary>
    /// <exception cref="System.Text.Json.JsonException">The stored configuration cannot be read (also <see cref="InvalidDataException"/> or <see cref="ArgumentException"/>).</exception>
    System.Text.Json.JsonElement Configuration(Trial trial, Search search);

    /// <summary>Bytes of device memory the trial needs to train; null when its configuration does not say.</summary>
    long? MemoryBytes(Trial trial);

    /// <summary>The trained network of <paramref name="task"/> as a self-contained ONNX graph.</summary>
    /// <param name="target">Tabular regression: the target's standardisation, undone inside the graph.</param>
    byte[] ExportOnnx(SearchTask task, string configJson, string weightsPath, StandardScaling? target);
}
