using AutoMLStudio.Engine.Spaces;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Training;

/// <summary>Starting a network from a trained model's weights: everything but the output layer, whose classes are new.</summary>
public static class FineTuning
{
    /// <summary>The output layer's parameters in <see cref="Models.CnnModelFactory"/>'s modules: the part that is always new.</summary>
    public static readonly IReadOnlyList<string> OutputParameters = ["output.weight", "output.bias"];

    /// <summary>
    /// Loads <paramref name="weightsPath"/> (saved by TorchSharp from a network of the same architecture, any number of
    /// classes) into every parameter and buffer of <paramref name="model"/> except the output layer.
    /// </summary>
    /// <exception cref="InvalidDataException">The file lacks a parameter the network has: it was saved from another architecture.</exception>
    public static void LoadAllButOutput(nn.Module model, string weightsPath)
    {
        if (!File.Exists(weightsPath)) throw new FileNotFoundException($"The starting model's weights are missing: {weightsPath}.", weightsPath);
        var loaded = new Dictionary<string, bool>();
        try
        {
            model.load(weightsPath, strict: false, skip: [.. OutputParameters], loadedParameters: loaded);
        }
        catch (ArgumentException e)
        {
            // TorchSharp refuses a tensor whose shape differs from the network's: another architecture's weights.
            throw new InvalidDataException($"The starting model's weights do not fit this network: {e.Message}", e);
        }
        var missing = model.state_dict().Keys.Where(k => !OutputParameters.Contains(k) && !loaded.GetValueOrDefault(k)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException(
                $"The starting model's weights do not fit this network: {missing.Count} parameters are missing ({string.Join(", ", missing.Take(3))}).");
    }

    /// <summary>
    /// The parameters the optimizer updates: all of them, or with <see cref="FineTuneSettings.Head"/> only the output
    /// layer's; the others stop collecting gradients, which also saves their memory.
    /// </summary>
    public static IEnumerable<TorchSharp.Modules.Parameter> TrainableParameters(nn.Module model, FineTuneSettings? fineTune)
    {
        if (fineTune?.Train != FineTuneSettings.Head) return model.parameters();
        foreach (var (name, parameter) in model.named_parameters())
            parameter.requires_grad = OutputParameters.Contains(name);
        return model.named_parameters().Where(p => OutputParameters.Contains(p.name)).Select(p => p.parameter);
    }
}
