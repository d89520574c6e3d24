using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Identity;
using AutoMLStudio.Core.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AutoMLStudio.Core.Hosting;

public sealed record DeployModelRequest(Guid ModelId, string? Name, int? Version);

/// <summary>
/// Creates, swaps and removes endpoints. A version is loaded (hashes checked, session created) before anything is
/// saved, so an endpoint that exists always serves.
/// </summary>
public sealed class DeployModel(StudioDbContext db, HostedModels hosted, EndpointMonitor monitor, ApiKeyCache keys, ILogger<DeployModel> logger)
{
    public async Task<ModelEndpoint> CreateAsync(DeployModelRequest request, string? userId, CancellationToken ct)
    {
        var version = await FindVersionAsync(request.ModelId, request.Version, ct);
        var name = string.IsNullOrWhiteSpace(request.Name) ? version.Model!.Name : request.Name.Trim();
        if (name.Length > 100) throw new UserInputException("Name too long", "An endpoint name can have at most 100 characters.");
        if (await db.Endpoints.AnyAsync(e => e.Name == name, ct))
            throw new UserInputException("Name taken", $"An endpoint called '{name}' exists already. Choose another name, or swap that endpoint to this version.", 409);

        var endpoint = new ModelEndpoint { Name = name, ModelId = version.ModelId, ModelVersionId = version.Id, CreatedBy = userId };
        hosted.Swap(endpoint.Id, version);
        try
        {
            db.Endpoints.Add(endpoint);
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            hosted.Remove(endpoint.Id);
            throw;
        }
        logger.LogInformation("Endpoint {Endpoint} serves {Model} v{Version}", name, version.Model!.Name, version.Version);
        return endpoint;
    }

    /// <summary>Serves another version of the endpoint's model (or of another model) from now on.</summary>
    public async Task<ModelEndpoint> SwapAsync(Guid endpointId, Guid? modelId, int? versionNumber, CancellationToken ct)
    {
        var endpoint = await db.Endpoints.SingleOrDefaultAsync(e => e.Id == endpointId, ct) ?? throw UserInputException.NotFound("Endpoint", endpointId);
        var version = await FindVersionAsync(modelId ?? endpoint.ModelId, versionNumber, ct);
        hosted.Swap(endpoint.Id, version);
        endpoint.ModelId = version.ModelId;
        endpoint.ModelVersionId = version.Id;
        endpoint.SwappedAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Endpoint {Endpoint} swapped to {Model} v{Version}", endpoint.Name, version.Model!.Name, version.Version);
        return endpoint;
    }

    public async Task DeleteAsync(Guid endpointId, CancellationToken ct)
    {
        var endpoint = await db.Endpoints.SingleOrDefaultAsync(e => e.Id == endpointId, ct) ?? throw UserInputException.NotFound("Endpoint", endpointId);
        var scoped = await db.ApiKeys.Where(k => k.EndpointId == endpointId && k.RevokedAt == null).ToListAsync(ct);
        foreach (var key in scoped) key.RevokedAt = DateTimeOffset.UtcNow;
        db.Endpoints.Remove(endpoint);
        await db.SaveChangesAsync(ct);
        keys.Clear();
        hosted.Remove(endpointId);
        monitor.Forget(endpointId);
        logger.LogInformation("Endpoint {Endpoint} undeployed", endpoint.Name);
    }

    private async Task<ModelVersion> FindVersionAsync(Guid modelId, int? number, CancellationToken ct)
    {
        if (modelId == Guid.Empty) throw new UserInputException("Model missing", "Say which model to deploy: send {\"modelId\": \"...\", \"name\": \"...\"}.");
        var model = await db.Models.AsNoTracking().Include(m => m.Versions).SingleOrDefaultAsync(m => m.Id == modelId, ct)
                    ?? throw UserInputException.NotFound("Model", modelId);
        var version = number is null ? model.Versions.MaxBy(v => v.Version) : model.Versions.SingleOrDefault(v => v.Version == number);
        if (version is null) throw new UserInputException("Version not found", $"Model '{model.Name}' has no version {number}.", 404);
        version.Model = model;
        return version;
    }
}
