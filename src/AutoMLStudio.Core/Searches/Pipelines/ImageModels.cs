using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Core.Searches.Pipelines;

/// <summary>Image models: the graph takes pixels and normalizes them itself, so there is no preprocessing file.</summary>
public sealed class ImageModels : ITaskModels
{
    public static ImageModels Instance { get; } = new();

    public TaskTraits Traits { get; } = new(EndpointInput.Images, RegisteredFromSearchPage: true, BuildsConvolutionalNetworks: true);

    public ModelPreprocessing? Preprocessing(Search search, IArtifactStore store) => null;

    public ModelInput ImageInput(Trial trial, Search search)
    {
        var stats = search.InputStats;
        var backbone = trial.Config().Architecture.BackboneSpec();
        return new ModelInput(search.InputChannels, search.InputSize, search.InputSize,
            search.InputChannels == 1 ? "grayscale" : "rgb",
            backbone is null
                ? "float32[N,C,H,W]: decode, resize to H×W, scale pixels to [0,1]; the network normalizes with the mean and std below itself"
                : $"float32[N,C,H,W]: decode, resize to H×W, scale pixels to [0,1]; the pretrained network resizes to {backbone.WorkingSize}×{backbone.WorkingSize}, "
                  + "makes three channels and normalizes with ImageNet's mean and std itself",
            stats?.Mean ?? [], stats?.Std ?? []);
    }

    public IInstanceReader? InstanceReader(ModelCard card, string? preprocessingJson) => null;
}
