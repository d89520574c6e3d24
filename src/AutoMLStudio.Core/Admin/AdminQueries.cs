using AutoMLStudio.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Admin;

public sealed record AdminActionView(long Id, DateTimeOffset At, string? UserId, string UserName, string Action, string? TargetId, string? Details)
{
    public static AdminActionView From(AdminAction a) => new(a.Id, a.At, a.UserId, a.UserName, a.Action, a.TargetId, a.Details);
}

/// <summary>A person as the admin page lists them: role and their own limit of concurrent trials (null: the default).</summary>
public sealed record UserLimitView(string Id, string Email, string? DisplayName, string Role, int? MaxConcurrentTrials);

/// <summary>What the admin page and routes read: the audit log and the people.</summary>
public sealed class AdminQueries(StudioDbContext db)
{
    /// <summary>The audit log, newest first.</summary>
    public async Task<Page<AdminActionView>> AuditAsync(PageRequest page, CancellationToken ct)
    {
        var actions = await db.AdminActions.AsNoTracking().OrderByDescending(a => a.Id).PageAsync(page, ct);
        return new Page<AdminActionView>(actions.Items.Select(AdminActionView.From).ToList(), actions.Total);
    }

    /// <summary>Everyone, by email, with their (first) role.</summary>
    public async Task<Page<UserLimitView>> UsersAsync(PageRequest page, CancellationToken ct)
    {
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Email).ThenBy(u => u.Id).PageAsync(page, ct);
        var ids = users.Items.Select(u => u.Id).ToList();
        var roles = await db.UserRoles.AsNoTracking().Where(ur => ids.Contains(ur.UserId))
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name }).ToListAsync(ct);
        return new Page<UserLimitView>([.. users.Items.Select(u => new UserLimitView(u.Id, u.Email ?? u.UserName ?? u.Id, u.DisplayName,
            roles.FirstOrDefault(r => r.UserId == u.Id)?.Name ?? "", u.MaxConcurrentTrials))], users.Total);
    }
}
