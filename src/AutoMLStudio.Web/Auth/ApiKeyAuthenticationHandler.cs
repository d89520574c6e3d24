using System.Security.Claims;
using System.Text.Encodings.Web;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Web.Auth;

/// <summary>
/// Signs in a request that carries <c>Authorization: Bearer &lt;api key&gt;</c> (or, for the SignalR hub, whose
/// WebSocket cannot carry headers from browsers, <c>?access_token=</c>) as the key's owner with the owner's roles.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    StudioDbContext db,
    UserManager<StudioUser> users,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    public static string? ReadSecret(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        if (request.Path.StartsWithSegments("/hubs") && request.Query.TryGetValue("access_token", out var token)) return token.ToString();
        return null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var secret = ReadSecret(Request);
        if (string.IsNullOrEmpty(secret)) return AuthenticateResult.NoResult();

        var prefix = ApiKeySecrets.PrefixOf(secret);
        var candidates = await db.ApiKeys.Where(k => k.Prefix == prefix && k.RevokedAt == null).ToListAsync(Context.RequestAborted);
        var key = candidates.FirstOrDefault(k => ApiKeySecrets.Matches(secret, k.Hash));
        if (key is null) return AuthenticateResult.Fail("The API key is not valid or was revoked.");

        var user = await users.FindByIdAsync(key.UserId);
        if (user is null) return AuthenticateResult.Fail("The API key's user no longer exists.");

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id),
            new(ClaimTypes.Name, user.UserName ?? user.Id),
            new("api_key_id", key.Id.ToString()),
        };
        claims.AddRange((await users.GetRolesAsync(user)).Select(role => new Claim(ClaimTypes.Role, role)));

        key.LastUsedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(Context.RequestAborted);
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Task.CompletedTask;
    }
}
