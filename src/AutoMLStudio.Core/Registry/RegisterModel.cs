using System.Security.Cryptography;
using System.Text.Json;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Engine.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AutoMLStudio.Core.Registry;

public sealed record RegisterModelRequest(Guid TrialId, string? Name);

/// <summary>
/// Copies a finished trial's best weights and a model card into the registry as the next version of the named model.
/// </summary>
public sealed class RegisterModel(StudioDbContext db, IArtifactStore store, ILogger<RegisterModel> logger)
{
    public const string WeightsFile = "weights.dat";
    public const string CardFile = "model.json";

    public async Task<ModelVersion> HandleAsync(RegisterModelRequest request, string? userId, CancellationToken ct)
    {
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name))
            throw new UserInputException("Name missing", "Give the model a name, for example 'defect-detector'.");
        if (name.Length > 100)
            throw new UserInputException("Name too long", "A model name can have at most 100 characters.");

        var trial = await db.Trials.AsNoTracking().Include(t => t.Search).SingleOrDefaultAsync(t => t.Id == request.TrialId, ct)
                    ?? throw UserInputException.NotFound("Trial", request.TrialId);
        if (trial.Status != TrialStatus.Completed || trial.Search is null)
            throw new UserInputException("Trial not finished",
                $"Only a completed trial can be registered; this one is {trial.Status.ToString().ToLowerInvariant()}.", 409);
        if (SearchTasks.UsesRows(trial.Search.Task))
            throw new UserInputException("Registering not available",
                "Tabular and text models cannot be registered in this version yet; their search's test results are on the search page.", 409);
        // The search's best trial is registered as retrained on train+validation when the end of the search did that.
        var weights = trial.Search.BestTrialId == trial.Id && trial.Search.FinalRetrain() is { State: FinalRetrainState.Done, Weights: { } retrained }
            ? store.FullPath(retrained)
            : Path.Combine(store.FullPath(trial.Checkpoints()), ImageClassifierTrainer.BestWeightsFile);
        if (!File.Exists(weights))
            throw new UserInputException("Weights missing", "The trial's trained weights are no longer on disk, so it cannot be registered.", 409);

        var model = await db.Models.Include(m => m.Versions).SingleOrDefaultAsync(m => m.Name == name, ct);
        if (model is null)
        {
            model = new RegisteredModel { Name = name };
            db.Models.Add(model);
        }
        var number = model.Versions.Count == 0 ? 1 : model.Versions.Max(v => v.Version) + 1;
        var folder = ArtifactPaths.ModelVersion(model.Id, number);
        var fullFolder = store.FullPath(folder);
        Directory.CreateDirectory(fullFolder);

        var weightsBytes = await File.ReadAllBytesAsync(weights, ct);
        await AtomicFile.WriteAllBytesAsync(Path.Combine(fullFolder, WeightsFile), weightsBytes, ct);
        var card = ModelCard.From(name, number, trial, trial.Search);
        var cardJson = JsonSerializer.Serialize(card, ModelCard.JsonOptions);
        await AtomicFile.WriteAllBytesAsync(Path.Combine(fullFolder, CardFile), System.Text.Encoding.UTF8.GetBytes(cardJson), ct);

        var version = new ModelVersion
        {
            ModelId = model.Id,
            Version = number,
            TrialId = trial.Id,
            SearchId = trial.SearchId,
            DatasetId = trial.Search.DatasetId,
            ArtifactFolder = folder,
            WeightsSha256 = Convert.ToHexStringLower(SHA256.HashData(weightsBytes)),
            CardJson = cardJson,
            CreatedBy = userId,
        };
        db.ModelVersions.Add(version);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Trial {TrialId} registered as {ModelName} v{Version}", trial.Id, name, number);
        version.Model = model;
        return version;
    }
}
