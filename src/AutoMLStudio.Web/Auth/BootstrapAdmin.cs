using AutoMLStudio.Core.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Web.Auth;

/// <summary>
/// Creates the roles, and, while no admin exists, the first admin from configuration: a UI account
/// (<c>AdminEmail</c>/<c>AdminPassword</c>) and/or an API key. At every start it warns while the password or key
/// that the README publishes still opens the studio.
/// </summary>
public sealed class BootstrapAdmin(
    CreateApiKey createKey, UserManager<StudioUser> users, RoleManager<IdentityRole> roles, IOptions<BootstrapOptions> options,
    DefaultCredentials defaults, ILogger<BootstrapAdmin> logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        foreach (var role in StudioRoles.All)
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole(role));

        if ((await users.GetUsersInRoleAsync(StudioRoles.Admin)).Count == 0) await CreateFirstAdminAsync(ct);
        await WarnWhilePublishedCredentialsWorkAsync(ct);
    }

    private async Task CreateFirstAdminAsync(CancellationToken ct)
    {
        var bootstrap = options.Value;
        if (string.IsNullOrWhiteSpace(bootstrap.ApiKey) && string.IsNullOrWhiteSpace(bootstrap.AdminEmail))
        {
            logger.LogWarning("No admin exists and none is configured: set Studio:Bootstrap:AdminEmail and AdminPassword (or ApiKey)");
            return;
        }

        var email = string.IsNullOrWhiteSpace(bootstrap.AdminEmail) ? "admin@localhost" : bootstrap.AdminEmail.Trim();
        var admin = new StudioUser
        {
            UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Administrator",
            // Only the published password: an operator who configured their own chose it and is not asked again.
            MustChangePassword = bootstrap.AdminPassword == BootstrapOptions.PublishedAdminPassword,
        };
        var created = string.IsNullOrEmpty(bootstrap.AdminPassword)
            ? await users.CreateAsync(admin)
            : await users.CreateAsync(admin, bootstrap.AdminPassword);
        if (!created.Succeeded)
            throw new InvalidOperationException("The bootstrap admin could not be created: " +
                                                string.Join(" ", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(admin, StudioRoles.Admin);

        if (!string.IsNullOrWhiteSpace(bootstrap.ApiKey)) await createKey.AddBootstrapKeyAsync(admin.Id, bootstrap.ApiKey.Trim(), ct);
        logger.LogInformation("Created the first admin {Email}", email);
    }

    private async Task WarnWhilePublishedCredentialsWorkAsync(CancellationToken ct)
    {
        var state = await defaults.CheckAsync(BootstrapOptions.PublishedApiKey, ct);
        if (!state.Any) return;
        var open = new List<string>();
        if (state.AdminEmail is not null) open.Add($"the admin {state.AdminEmail} with password {BootstrapOptions.PublishedAdminPassword}");
        if (state.ApiKey) open.Add($"the admin API key {BootstrapOptions.PublishedApiKey}");
        logger.LogWarning(
            "SECURITY: the published default credentials still open this studio: {Credentials}. Anyone who has read the README can use them. " +
            "Sign in and change the password (the studio asks for a new one at the first sign-in), and revoke the key on the Admin page.",
            string.Join(" and ", open));
    }
}
