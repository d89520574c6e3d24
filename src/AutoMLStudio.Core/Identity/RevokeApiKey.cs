using AutoMLStudio.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Identity;

/// <summary>Revokes an API key so it stops working at once: the row records when, and the verified-key cache forgets it.</summary>
public sealed class RevokeApiKey(StudioDbContext db, ApiKeyCache cache, TimeProvider clock)
{
    /// <param name="ownerId">Only a key of this user (a user revoking their own keys); null for any (admins).</param>
    /// <param name="endpointId">Only a key scoped to this endpoint; null for any.</param>
    public async Task HandleAsync(Guid keyId, string? ownerId = null, Guid? endpointId = null, CancellationToken ct = default)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId
                                                             && (ownerId == null || k.UserId == ownerId)
                                                             && (endpointId == null || k.EndpointId == endpointId), ct)
                  ?? throw UserInputException.NotFound("API key", keyId);
        key.RevokedAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        cache.Clear();
    }
}
