using System.Security.Claims;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Admin;
using AutoMLStudio.Core.Identity;
using AutoMLStudio.Web.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Web.Api;

public sealed record CreateUserBody(string? Email, string? Password, string? Role, string? DisplayName);

/// <param name="MaxConcurrentTrials">This person's own limit of trials running at once; null = the studio's default (<paramref name="DefaultMaxConcurrentTrials"/>, 0 = none).</param>
public sealed record UserDto(string Id, string Email, string? DisplayName, string Role, int? MaxConcurrentTrials = null, int DefaultMaxConcurrentTrials = 0);

public sealed record TrialLimitBody(int? MaxConcurrentTrials);

/// <summary>Admins add people (until the admin page manages users, this is how a second labeler gets an account).</summary>
public static class UsersApi
{
    public static void MapUsersApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/users").WithTags("Users").RequireAuthorization(StudioPolicies.Admin);
        group.MapPost("/", CreateAsync).WithSummary("Create a user with a password and one role (Admin, TeamLead, Expert, Viewer)")
            .Produces<UserDto>(201).ProducesProblem(400).ProducesProblem(409);
        group.MapGet("/", ListAsync).WithSummary("Every user by email, with their role and limit of concurrent trials").Produces<List<UserDto>>().Paged();
        group.MapPut("/{id}/limits", SetLimitAsync).WithSummary("Set how many trials a person's searches may run at once: {\"maxConcurrentTrials\": 2}, or null for the default")
            .WithDescription("Trials beyond the limit wait in their queue and start as the person's running trials end. Logged in the audit log.")
            .Produces<UserDto>().ProducesProblem(400).ProducesProblem(404);
    }

    private static async Task<IResult> ListAsync(AdminQueries admin, IOptions<StudioOptions> options, Paging page, CancellationToken ct) =>
        Results.Ok(page.Answer(await admin.UsersAsync(page.Request, ct))
            .Select(u => new UserDto(u.Id, u.Email, u.DisplayName, u.Role, u.MaxConcurrentTrials, options.Value.Training.MaxConcurrentTrialsPerUser)).ToList());

    private static async Task<IResult> SetLimitAsync(string id, TrialLimitBody? body, SetTrialLimit setLimit, UserManager<StudioUser> users,
        IOptions<StudioOptions> options, ClaimsPrincipal caller, CancellationToken ct)
    {
        var user = await setLimit.HandleAsync(id, body?.MaxConcurrentTrials, caller.FindFirstValue(ClaimTypes.NameIdentifier), ct);
        return Results.Ok(await ToDtoAsync(user, users, options.Value));
    }

    private static async Task<UserDto> ToDtoAsync(StudioUser user, UserManager<StudioUser> users, StudioOptions options) =>
        new(user.Id, user.Email ?? user.UserName ?? user.Id, user.DisplayName, (await users.GetRolesAsync(user)).FirstOrDefault() ?? "",
            user.MaxConcurrentTrials, options.Training.MaxConcurrentTrialsPerUser);

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
