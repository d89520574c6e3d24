using AutoMLStudio.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Identity;

/// <summary>
/// Whether the admin password and API key that the README publishes still open this studio. Cheap enough for every
/// view of the sign-in page: one indexed read each, and a SHA-256, never a password hash.
/// </summary>
public sealed class DefaultCredentials(StudioDbContext db)
{
    /// <param name="AdminEmail">the admin that must still replace the published password, if any</param>
    /// <param name="ApiKey">whether the published API key is a live key</param>
    public sealed record State(string? AdminEmail, bool ApiKey)
    {
        public bool Any => AdminEmail is not null || ApiKey;
    }

    /// <param name="publishedApiKey">the development key the README publishes</param>
    public async Task<State> CheckAsync(string publishedApiKey, CancellationToken ct)
    {
        var admin = await db.Users.Where(u => u.MustChangePassword).Select(u => u.Email).FirstOrDefaultAsync(ct);
        var prefix = ApiKeySecrets.PrefixOf(publishedApiKey);
        var hashes = await db.ApiKeys.Where(k => k.Prefix == prefix && k.RevokedAt == null).Select(k => k.Hash).ToListAsync(ct);
        return new State(admin, hashes.Any(h => ApiKeySecrets.Matches(publishedApiKey, h)));
    }
}
