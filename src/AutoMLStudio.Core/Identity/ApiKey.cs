namespace AutoMLStudio.Core.Identity;

/// <summary>An API key; only its SHA-256 hash is stored, the secret is shown once when created.</summary>
public sealed class ApiKey
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string UserId { get; set; }
    public StudioUser? User { get; set; }
    public required string Name { get; set; }
    /// <summary>The first characters of the key, stored in clear to find the row without scanning every hash.</summary>
    public required string Prefix { get; set; }
    public required byte[] Hash { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    /// <summary>When set, the key only calls this endpoint's predict route and carries none of its owner's roles.</summary>
    public Guid? EndpointId { get; set; }
    /// <summary>Predictions per second this key may make; null for the configured default.</summary>
    public int? RequestsPerSecond { get; set; }
}
