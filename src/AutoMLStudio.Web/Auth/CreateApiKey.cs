using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Identity;

namespace AutoMLStudio.Web.Auth;

public sealed record CreatedApiKey(Guid Id, string Name, string Key, DateTimeOffset CreatedAt);

/// <summary>Creates an API key for a user and returns the secret, which is never shown again.</summary>
public sealed class CreateApiKey(StudioDbContext db)
{
    public async Task<CreatedApiKey> HandleAsync(string userId, string? name, CancellationToken ct)
    {
        name = string.IsNullOrWhiteSpace(name) ? "API key" : name.Trim();
        if (name.Length > 100) throw new Core.UserInputException("Name too long", "An API key name can have at most 100 characters.");
        var secret = ApiKeySecrets.NewSecret();
        var key = await AddAsync(db, userId, name, secret, ct);
        return new CreatedApiKey(key.Id, key.Name, secret, key.CreatedAt);
    }

    public static async Task<ApiKey> AddAsync(StudioDbContext db, string userId, string name, string secret, CancellationToken ct)
    {
        var key = new ApiKey { UserId = userId, Name = name, Prefix = ApiKeySecrets.PrefixOf(secret), Hash = ApiKeySecrets.Hash(secret) };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        return key;
    }
}
