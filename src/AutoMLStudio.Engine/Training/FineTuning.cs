using AutoMLStudio.Engine.Backbones;
using AutoMLStudio.Engine.Spaces;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Training;

/// <summary>
/// Starting a network from trained weights: a registered model's (everything but the output layer, whose classes are
/// new) or a pretrained backbone's (everything but its head).
/// </summary>
public static class FineTuning
{
    /// <summary>The output layer's parameters in <see cref="Models.CnnModelFactory"/>'s modules: the part that is always new.</summary>
    public static readonly IReadOnlyList<string> OutputParameters = ["output.weight", "output.bias"];

    /// <summary>
    /// Loads the starting weights at <paramref name="weightsPath"/> into <paramref name="model"/> except its output
    /// layer: a backbone's weights (as imported, or from a model fine-tuned from one) into a
    /// <see cref="BackboneClassifier"/>, checked name by name (<see cref="BackboneWeights.Load"/>), or a trained
    /// network's weights of the same architecture (<see cref="LoadAllButOutput"/>).
    /// </summary>
    /// <exception cref="InvalidDataException">The file does not fit the network.</exception>
    public static void LoadStartingWeights(nn.Module model, string weightsPath)
    {
        if (model is not BackboneClassifier backbone)
        {
            LoadAllButOutput(model, weightsPath);
            return;
        }
        if (!File.Exists(weightsPath)) throw new FileNotFoundException($"The pretrained weights are missing: {weightsPath}.", weightsPath);
        // Imported files and a fine-tuned backbone's own weights share torchvision's layout; only the head differs.
        BackboneWeights.Load(backbone, weightsPath);
    }

    /// <summary>
    /// Loads <paramref name="weightsPath"/> (saved by TorchSharp from a network of the same architecture, any number of
    /// classes) into every parameter and buffer of <paramref name="model"/> except the output layer.
    /// </summary>
    /// <exception cref="InvalidDataException">The file lacks a parameter the network has: it was saved from another architecture.</exception>
    public static void LoadAllButOutput(nn.Module model, string weightsPath)
    {
        if (!File.Exists(weightsPath)) throw new FileNotFoundException($"The starting model's weights are missing: {weightsPath}.", weightsPath);
        var output = OutputParameters;
        var loaded = new Dictionary<string, bool>();
        try
        {
            model.load(weightsPath, strict: false, skip: [.. output], loadedParameters: loaded);
        }
        catch (ArgumentException e)
        {
            // TorchSharp refuses a tensor whose shape differs from the network's: another architecture's weights.
            throw new InvalidDataException($"The starting model's weights do not fit this network: {e.Message}", e);
        }
        var missing = model.state_dict().Keys.Where(k => !output.Contains(k) && !loaded.GetValueOrDefault(k)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException(
                $"The starting model's weights do not fit this network: {missing.Count} parameters are missing ({string.Join(", ", missing.Take(3))}).");
    }

    /// <summary>
    /// An optimizer over the parameters that learn: all of them, or with <see cref="FineTuneSettings.Head"/> only the
    /// output layer's (the others stop collecting gradients, which also saves their memory). A backbone freezes as
    /// <see cref="FineTuneSettings.FreezeMode"/> says, and its pretrained layers that learn do so at
    /// <see cref="FineTuneSettings.LearningRateScale"/> times the rate of the new head.
    /// </summary>
    public static StableOptimizer CreateOptimizer(nn.Module model, TrialConfig config)
    {
        var fineTune = config.FineTune;
        if (model is BackboneClassifier backbone)
        {
            var trainable = backbone.Freeze(fineTune?.FreezeMode ?? FreezeMode.Full);
            return StableOptimizer.Create(trainable.Head, config.Training, trainable.Backbone, fineTune?.LearningRateScale ?? 1);
        }
        if (fineTune?.Train != FineTuneSettings.Head) return StableOptimizer.Create(model.parameters(), config.Training);
        foreach (var (name, parameter) in model.named_parameters())
            parameter.requires_grad = OutputParameters.Contains(name);
        return StableOptimizer.Create(model.named_parameters().Where(p => OutputParameters.Contains(p.name)).Select(p => p.parameter), config.Training);
    }

}
