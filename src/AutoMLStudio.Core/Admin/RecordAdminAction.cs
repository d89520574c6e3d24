using AutoMLStudio.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AutoMLStudio.Core.Admin;

/// <summary>Writes one line of the audit log; the user's name is read now, so the line still reads well after a rename.</summary>
public sealed class RecordAdminAction(StudioDbContext db, TimeProvider clock, ILogger<RecordAdminAction> logger)
{
    public async Task HandleAsync(string? userId, string action, string? targetId, string? details, CancellationToken ct)
    {
        var name = userId is null ? null
            : await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName ?? u.Email ?? u.UserName).SingleOrDefaultAsync(ct);
        db.AdminActions.Add(new AdminAction
        {
            UserId = userId, UserName = name ?? userId ?? "system", At = clock.GetUtcNow(), Action = action, TargetId = targetId, Details = details,
        });
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Admin action {Action} on {TargetId} by {UserId}", action, targetId, userId);
    }
}
