using AutoMLStudio.Core.Backbones;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Searches.Pipelines;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Engine.Spaces;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Searches;

/// <summary>
/// A registered image model a new search starts from: its network (with the output layer replaced for the new
/// dataset's classes) and the weights it learned. Only weights the studio registered are used: their hash is checked
/// against the one recorded at registration.
/// </summary>
public sealed record StartingModel(Guid VersionId, string Name, int Version, CnnArchitecture Architecture, string WeightsPath)
{
    /// <summary>The model version <paramref name="versionId"/>, checked; a problem that says why it cannot start an image search.</summary>
    public static async Task<StartingModel> LoadAsync(StudioDbContext db, IArtifactStore store, Guid versionId, CancellationToken ct)
    {
        var version = await db.ModelVersions.AsNoTracking().Include(v => v.Model).SingleOrDefaultAsync(v => v.Id == versionId, ct)
                      ?? throw new UserInputException("Model version not found", $"There is no registered model version with id {versionId}.", 404);
        if (!TaskPipelines.TraitsOf(version.Task).StartsSearches)
            throw new UserInputException("Model cannot start this search",
                $"'{version.Model?.Name}' v{version.Version} is a {version.Task.Name().Replace('_', ' ')} model. Only image classifiers can be the starting point of a search: their layers learn what images look like, which carries over to new classes.");
        var trial = await db.Trials.AsNoTracking().SingleOrDefaultAsync(t => t.Id == version.TrialId, ct)
                    ?? throw new UserInputException("Model cannot start this search", $"The trial that made '{version.Model?.Name}' v{version.Version} no longer exists.", 409);
        var weights = Path.Combine(store.FullPath(version.ArtifactFolder), ModelFiles.Weights);
        if (!File.Exists(weights) || !string.Equals(RegisterModel.Sha256(await File.ReadAllBytesAsync(weights, ct)), version.WeightsSha256, StringComparison.OrdinalIgnoreCase))
            throw new UserInputException("Model cannot start this search",
                $"The weights of '{version.Model?.Name}' v{version.Version} are missing or not the ones registered, so they are not used.", 409);
        return new StartingModel(version.Id, version.Model?.Name ?? "model", version.Version, trial.Config().Architecture, weights);
    }

    /// <summary>The version of model <paramref name="modelId"/> asked for, or its newest.</summary>
    public static async Task<Guid> FindVersionAsync(StudioDbContext db, Guid modelId, int? version, CancellationToken ct)
    {
        var versions = db.ModelVersions.Where(v => v.ModelId == modelId);
        var id = version is { } number
            ? await versions.Where(v => v.Version == number).Select(v => (Guid?)v.Id).SingleOrDefaultAsync(ct)
            : await versions.OrderByDescending(v => v.Version).Select(v => (Guid?)v.Id).FirstOrDefaultAsync(ct);
        return id ?? throw new UserInputException("Model version not found",
            version is null ? $"There is no registered model with id {modelId}." : $"Model {modelId} has no version {version}.", 404);
    }

    /// <summary>A dataset the model can start a search on: an image dataset (its images are resized to the model's input).</summary>
    public void CheckFits(Dataset dataset)
    {
        if (dataset.Kind != DatasetKind.Image)
            throw new UserInputException("Model cannot start this search",
                $"'{Name}' v{Version} takes images; the dataset '{dataset.Name}' holds {dataset.Kind.ToString().ToLowerInvariant()} data.");
    }

    /// <summary>
    /// The weights a fine-tuning trial of <paramref name="search"/> starts from (hash checked): the starting model's, or
    /// the imported backbone's for a backbone candidate; null for a trial that starts from random weights.
    /// </summary>
    public static async Task<string?> InitialWeightsAsync(StudioDbContext db, IArtifactStore store, Search search, TrialConfig config, CancellationToken ct)
    {
        if (config.FineTune is null) return null;
        if (search.StartFromModelVersionId is { } versionId) return (await LoadAsync(db, store, versionId, ct)).WeightsPath;
        return config.Architecture.Backbone is { } backbone ? await BackboneWeightsFile.PathAsync(db, store, backbone, ct) : null;
    }

    /// <summary>The model's network with a new output layer for <paramref name="classCount"/> classes.</summary>
    public CnnArchitecture ArchitectureFor(int classCount) => Architecture with { ClassCount = classCount };
}
