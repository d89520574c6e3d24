using System.Security.Claims;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Admin;
using AutoMLStudio.Core.Identity;
using AutoMLStudio.Web.Auth;
using Microsoft.AspNetCore.Identity;

namespace AutoMLStudio.Web.Api;

public sealed record CreateUserBody(string? Email, string? Password, string? Role, string? DisplayName);

public sealed record UserDto(string Id, string Email, string? DisplayName, string Role);

/// <summary>Admins add people (until the admin page manages users, this is how a second labeler gets an account).</summary>
public static class UsersApi
{
    public static void MapUsersApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/users").WithTags("Users").RequireAuthorization(StudioPolicies.Admin);
        group.MapPost("/", CreateAsync).WithSummary("Create a user with a password and one role (Admin, TeamLead, Expert, Viewer)")
            .Produces<UserDto>(201).ProducesProblem(400).ProducesProblem(409);
    }

    private static async Task<IResult> CreateAsync(CreateUserBody? body, UserManager<StudioUser> users, RecordAdminAction audit, ClaimsPrincipal caller, CancellationToken ct)
    {
        var email = body?.Email?.Trim();
        if (string.IsNullOrEmpty(email) || !email.Contains('@'))
            throw new UserInputException("Email missing", "Give the new user's email address, e.g. {\"email\": \"bob@example.com\"}.");
        if (string.IsNullOrEmpty(body!.Password)) throw new UserInputException("Password missing", "Give the new user a password.");
        var role = StudioRoles.All.FirstOrDefault(r => string.Equals(r, body.Role?.Trim(), StringComparison.OrdinalIgnoreCase))
                   ?? throw new UserInputException("Unknown role", $"The role must be one of {string.Join(", ", StudioRoles.All)}.");
        if (await users.FindByEmailAsync(email) is not null)
            throw new UserInputException("User exists", $"There is already a user with the email {email}.", 409);

        var user = new StudioUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = body.DisplayName?.Trim() };
        var created = await users.CreateAsync(user, body.Password);
        if (!created.Succeeded)
            throw new UserInputException("User not created", string.Join(" ", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, role);
        await audit.HandleAsync(caller.FindFirstValue(ClaimTypes.NameIdentifier), AdminActions.UserCreated, user.Id, $"{email} as {role}", ct);
        return Results.Created($"/api/v1/users/{user.Id}", new UserDto(user.Id, email, user.DisplayName, role));
    }
}
