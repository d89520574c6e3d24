using AutoMLStudio.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Identity;

public sealed record CreatedApiKey(Guid Id, string Name, string Key, DateTimeOffset CreatedAt, Guid? EndpointId = null, int? RequestsPerSecond = null);

/// <summary>Creates an API key for a user and returns the secret, which is never shown again.</summary>
public sealed class CreateApiKey(StudioDbContext db)
{
    public async Task<CreatedApiKey> HandleAsync(string userId, string? name, CancellationToken ct)
    {
        name = string.IsNullOrWhiteSpace(name) ? "API key" : name.Trim();
        if (name.Length > 100) throw new UserInputException("Name too long", "An API key name can have at most 100 characters.");
        var secret = ApiKeySecrets.NewSecret();
        var key = await AddAsync(db, userId, name, secret, ct);
        return new CreatedApiKey(key.Id, key.Name, secret, key.CreatedAt);
    }

    /// <summary>A key that only predicts on one endpoint, optionally with its own rate limit.</summary>
    public async Task<CreatedApiKey> ForEndpointAsync(string userId, Guid endpointId, string? name, int? requestsPerSecond, CancellationToken ct)
    {
        name = string.IsNullOrWhiteSpace(name) ? "Endpoint key" : name.Trim();
        if (name.Length > 100) throw new UserInputException("Name too long", "An API key name can have at most 100 characters.");
        if (requestsPerSecond is < 1 or > 1_000_000)
            throw new UserInputException("Rate limit out of range", "requestsPerSecond must be between 1 and 1,000,000 (or left out for the default).");
        var secret = ApiKeySecrets.NewSecret();
        var key = await AddAsync(db, userId, name, secret, ct, endpointId, requestsPerSecond);
        return new CreatedApiKey(key.Id, key.Name, secret, key.CreatedAt, endpointId, requestsPerSecond);
    }

    /// <summary>The key configuration gives the first admin (Studio:Bootstrap:ApiKey), while the studio has no key at all.</summary>
    public async Task AddBootstrapKeyAsync(string userId, string secret, CancellationToken ct)
    {
        if (!await db.ApiKeys.AnyAsync(ct)) await AddAsync(db, userId, "Bootstrap key", secret, ct);
    }

    public static async Task<ApiKey> AddAsync(StudioDbContext db, string userId, string name, string secret, CancellationToken ct,
        Guid? endpointId = null, int? requestsPerSecond = null)
    {
        var key = new ApiKey
        {
            UserId = userId, Name = name, Prefix = ApiKeySecrets.PrefixOf(secret), Hash = ApiKeySecrets.Hash(secret),
            EndpointId = endpointId, RequestsPerSecond = requestsPerSecond,
        };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        return key;
    }
}
