using System.Security.Cryptography;
using System.Text;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Core.Searches.Pipelines;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Engine.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AutoMLStudio.Core.Registry;

public sealed record RegisterModelRequest(Guid TrialId, string? Name);

/// <summary>
/// Copies a finished trial's best weights into the registry as the next version of the named model, with its model
/// card, its ONNX graph and (tabular and text) its preprocessing; every file's hash is recorded so hosting loads only
/// what the studio wrote.
/// </summary>
public sealed class RegisterModel(StudioDbContext db, IArtifactStore store, ILogger<RegisterModel> logger)
{
    public async Task<ModelVersion> HandleAsync(RegisterModelRequest request, string? userId, CancellationToken ct)
    {
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name))
            throw new UserInputException("Name missing", "Give the model a name, for example 'defect-detector'.");
        if (name.Length > 100)
            throw new UserInputException("Name too long", "A model name can have at most 100 characters.");

        var trial = await db.Trials.AsNoTracking().Include(t => t.Search).SingleOrDefaultAsync(t => t.Id == request.TrialId, ct)
                    ?? throw UserInputException.NotFound("Trial", request.TrialId);
        if (trial.Status != TrialStatus.Completed || trial.Search is not { } search)
            throw new UserInputException("Trial not finished",
                $"Only a completed trial can be registered; this one is {trial.Status.ToString().ToLowerInvariant()}.", 409);
        // The search's best trial is registered as retrained on train+validation when the end of the search did that.
        var weights = search.BestTrialId == trial.Id && search.FinalRetrain is { State: FinalRetrainState.Done, Weights: { } retrained }
            ? store.FullPath(retrained)
            : Path.Combine(store.FullPath(trial.Checkpoints()), ImageClassifierTrainer.BestWeightsFile);
        if (!File.Exists(weights))
            throw new UserInputException("Weights missing", "The trial's trained weights are no longer on disk, so it cannot be registered.", 409);

        var preprocessing = TaskPipelines.ModelsOf(search.Task).Preprocessing(search, store);
        var weightsBytes = await File.ReadAllBytesAsync(weights, ct);
        // Exporting needs the weights on disk; the source file stays where it is, the export reads it directly.
        var onnx = await Task.Run(() => OnnxModelExport.Export(search.Task, trial.ConfigJson, weights, preprocessing?.Target), ct);

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

        var card = ModelCard.From(name, number, trial, search, preprocessing?.Input);
        var cardJson = card.ToJson();
        await AtomicFile.WriteAllBytesAsync(Path.Combine(fullFolder, ModelFiles.Weights), weightsBytes, ct);
        await AtomicFile.WriteAllBytesAsync(Path.Combine(fullFolder, ModelFiles.Onnx), onnx, ct);
        await AtomicFile.WriteAllBytesAsync(Path.Combine(fullFolder, ModelFiles.Card), Encoding.UTF8.GetBytes(cardJson), ct);
        byte[]? preprocessingBytes = null;
        if (preprocessing is not null)
        {
            preprocessingBytes = Encoding.UTF8.GetBytes(preprocessing.Json);
            await AtomicFile.WriteAllBytesAsync(Path.Combine(fullFolder, ModelFiles.Preprocessing), preprocessingBytes, ct);
        }

        var version = new ModelVersion
        {
            ModelId = model.Id,
            Version = number,
            Task = search.Task,
            TrialId = trial.Id,
            SearchId = trial.SearchId,
            DatasetId = search.DatasetId,
            ArtifactFolder = folder,
            WeightsSha256 = Sha256(weightsBytes),
            OnnxSha256 = Sha256(onnx),
            PreprocessingSha256 = preprocessingBytes is null ? null : Sha256(preprocessingBytes),
            CardJson = cardJson,
            CreatedBy = userId,
        };
        db.ModelVersions.Add(version);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Trial {TrialId} registered as {ModelName} v{Version}", trial.Id, name, number);
        version.Model = model;
        return version;
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
