using AutoMLStudio.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Identity;

/// <summary>An API key as lists show it: never its secret or hash. <see cref="OwnerEmail"/> is set where the list spans people.</summary>
public sealed record ApiKeyView(Guid Id, string UserId, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt, Guid? EndpointId, int? RequestsPerSecond, string? OwnerEmail = null);

/// <summary>A key that a presented secret matched: whose it is and what it may do.</summary>
public sealed record ApiKeyMatch(Guid KeyId, string UserId, Guid? EndpointId, int? RequestsPerSecond);

public sealed class ApiKeyQueries(StudioDbContext db)
{
    /// <summary>A person's keys, newest first.</summary>
    public async Task<Page<ApiKeyView>> OfUserAsync(string userId, PageRequest page, CancellationToken ct)
    {
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.UserId == userId).OrderByDescending(k => k.CreatedAt).ThenBy(k => k.Id)
            .PageAsync(page, ct);
        return new Page<ApiKeyView>(keys.Items.Select(k => View(k)).ToList(), keys.Total);
    }

    /// <summary>Every key with its owner's email, newest first: the admin page's list.</summary>
    public async Task<List<ApiKeyView>> AllAsync(CancellationToken ct) =>
        (await db.ApiKeys.AsNoTracking().Include(k => k.User).ToListAsync(ct))
        .OrderByDescending(k => k.CreatedAt).Select(k => View(k, k.User?.Email)).ToList();

    public Task<bool> AnyAsync(CancellationToken ct) => db.ApiKeys.AnyAsync(ct);

    /// <summary>The unrevoked key this secret is, or null: looked up by prefix, then compared by hash in constant time.</summary>
    public async Task<ApiKeyMatch?> MatchAsync(string secret, CancellationToken ct)
    {
        var prefix = ApiKeySecrets.PrefixOf(secret);
        var candidates = await db.ApiKeys.AsNoTracking().Where(k => k.Prefix == prefix && k.RevokedAt == null).ToListAsync(ct);
        var key = candidates.FirstOrDefault(k => ApiKeySecrets.Matches(secret, k.Hash));
        return key is null ? null : new ApiKeyMatch(key.Id, key.UserId, key.EndpointId, key.RequestsPerSecond);
    }

    private static ApiKeyView View(ApiKey k, string? ownerEmail = null) =>
        new(k.Id, k.UserId, k.Name, k.Prefix, k.CreatedAt, k.LastUsedAt, k.RevokedAt, k.EndpointId, k.RequestsPerSecond, ownerEmail);
}
