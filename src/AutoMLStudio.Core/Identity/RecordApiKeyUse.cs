using AutoMLStudio.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Identity;

/// <summary>Notes when a key was last used; callers write it at most every <see cref="ApiKeyCache.LastUsedResolution"/>.</summary>
public sealed class RecordApiKeyUse(StudioDbContext db)
{
    public Task HandleAsync(Guid keyId, DateTimeOffset at, CancellationToken ct) =>
        db.ApiKeys.Where(k => k.Id == keyId).ExecuteUpdateAsync(k => k.SetProperty(x => x.LastUsedAt, at), ct);
}
