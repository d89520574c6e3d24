using System.Text;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Engine.Data;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Searches.Pipelines;

/// <summary>Image models: the graph takes pixels and normalizes them itself, so there is no preprocessing file.</summary>
public sealed class ImageModels : ITaskModels
{
    public static ImageModels Instance { get; } = new();

    public TaskTraits Traits { get; } = new(EndpointInput.Images, BuildsConvolutionalNetworks: true, StartsSearches: true);

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

    // Every image card carries its input (ImageInput above); one without it has nothing to describe.
    public void WriteUsage(StringBuilder readme, ModelCard card)
    {
        if (card.Input is { } input) ModelBundle.ImageSection(readme, input);
    }

    // Images come to a batch in a zip, never in a CSV.
    public void CheckCsvHeader(IReadOnlyList<string> columns)
    {
    }

    // A trial names its learner: a network built from scratch or a pretrained backbone.
    public string? RowLearner => null;

    public IReadOnlyList<TrialSetting> Settings(Trial trial) => TrialSettings.Of(trial.Config());

    public async Task<TypicalTrial> TypicalTrialAsync(Dataset dataset, IQueryable<DatasetItem> labelled, int items, int classes, CancellationToken ct)
    {
        var sizes = await labelled.Select(i => new { i.Width, i.Height, i.Channels }).ToListAsync(ct);
        var size = sizes.Count == 0 ? 32 : ImageDecoder.ChooseInputSize(sizes.Select(s => (s.Width, s.Height)));
        var channels = sizes.Any(s => s.Channels >= 3) ? 3 : 1;
        return new TypicalTrial(64, FirstTrialFlops(size, channels, classes), 3 + (double)items * size * size * channels / 1_500_000);
    }

    // The first trial an image search trains (CnnStartingPoints): a fair picture of a typical one's cost.
    private static double FirstTrialFlops(int size, int channels, int classes)
    {
        var context = new SearchSpaceContext(channels, size, classes, new float[channels], Enumerable.Repeat(1f, channels).ToArray(), 1);
        return CnnSearchSpace.CountFlops(CnnParameterSpace.Decode(CnnStartingPoints.For(context)[0], context).Architecture);
    }
}
