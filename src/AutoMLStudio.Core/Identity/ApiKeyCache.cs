using System.Collections.Concurrent;
using System.Security.Claims;

namespace AutoMLStudio.Core.Identity;

/// <summary>
/// Verified API keys for a few seconds, so a busy prediction endpoint does not read (and write) the database on every
/// request. Revoking a key clears the cache, so a revoked key stops working at once on this node and within
/// <see cref="Lifetime"/> on others.
/// </summary>
public sealed class ApiKeyCache(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    /// <summary>How often a key's last-used time is written while it is in use.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public sealed record Entry(Guid KeyId, Guid? EndpointId, IReadOnlyList<Claim> Claims, DateTimeOffset ValidUntil, DateTimeOffset LastUsedWritten);

    public Entry? Find(string hashHex)
    {
        if (!_entries.TryGetValue(hashHex, out var entry)) return null;
        if (entry.ValidUntil > clock.GetUtcNow()) return entry;
        _entries.TryRemove(hashHex, out _);
        return null;
    }

    public void Add(string hashHex, Entry entry) => _entries[hashHex] = entry;

    public void Clear() => _entries.Clear();
}
