using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Web.Auth;

/// <summary>
/// Creates the roles, and, while no admin exists, the first admin from configuration: a UI account
/// (<c>AdminEmail</c>/<c>AdminPassword</c>) and/or an API key.
/// </summary>
public sealed class BootstrapAdmin(
    StudioDbContext db, UserManager<StudioUser> users, RoleManager<IdentityRole> roles, IOptions<BootstrapOptions> options,
    ILogger<BootstrapAdmin> logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        foreach (var role in StudioRoles.All)
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole(role));

        if ((await users.GetUsersInRoleAsync(StudioRoles.Admin)).Count > 0) return;
        var bootstrap = options.Value;
        if (string.IsNullOrWhiteSpace(bootstrap.ApiKey) && string.IsNullOrWhiteSpace(bootstrap.AdminEmail))
        {
            logger.LogWarning("No admin exists and none is configured: set Studio:Bootstrap:AdminEmail and AdminPassword (or ApiKey)");
            return;
        }

        var email = string.IsNullOrWhiteSpace(bootstrap.AdminEmail) ? "admin@localhost" : bootstrap.AdminEmail.Trim();
        var admin = new StudioUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Administrator" };
        var created = string.IsNullOrEmpty(bootstrap.AdminPassword)
            ? await users.CreateAsync(admin)
            : await users.CreateAsync(admin, bootstrap.AdminPassword);
        if (!created.Succeeded)
            throw new InvalidOperationException("The bootstrap admin could not be created: " +
                                                string.Join(" ", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(admin, StudioRoles.Admin);

        if (!string.IsNullOrWhiteSpace(bootstrap.ApiKey) && !await db.ApiKeys.AnyAsync(ct))
            await CreateApiKey.AddAsync(db, admin.Id, "Bootstrap key", bootstrap.ApiKey.Trim(), ct);
        logger.LogInformation("Created the first admin {Email}", email);
    }
}
