using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Data;

/// <summary>Whether the studio's database answers, for the health endpoint.</summary>
public sealed class DatabaseStatus(StudioDbContext db)
{
    public Task<bool> CanConnectAsync(CancellationToken ct) => db.Database.CanConnectAsync(ct);
}
