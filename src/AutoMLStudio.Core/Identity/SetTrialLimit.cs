using AutoMLStudio.Core.Admin;
using AutoMLStudio.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Identity;

/// <summary>An admin sets how many trials one person's searches may run at once (null: the studio's default).</summary>
public sealed class SetTrialLimit(StudioDbContext db, RecordAdminAction audit)
{
    public async Task<StudioUser> HandleAsync(string userId, int? maxConcurrentTrials, string? adminId, CancellationToken ct)
    {
        if (maxConcurrentTrials is < 0 or > 10_000)
            throw new UserInputException("Invalid limit", "maxConcurrentTrials must be between 1 and 10000, 0 for no limit, or null for the studio's default.");
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct) ?? throw new UserInputException("User not found", $"There is no user with id '{userId}'.", 404);
        user.MaxConcurrentTrials = maxConcurrentTrials;
        await db.SaveChangesAsync(ct);
        await audit.HandleAsync(adminId, AdminActions.UserLimitChanged, user.Id,
            $"{user.Email}: {(maxConcurrentTrials is { } n ? $"at most {n} concurrent trial{(n == 1 ? "" : "s")}" : "the studio's default")}", ct);
        return user;
    }
}
