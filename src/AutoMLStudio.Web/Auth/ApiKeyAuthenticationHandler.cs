using System.Security.Claims;
using System.Text.Encodings.Web;
using AutoMLStudio.Core.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Web.Auth;

/// <summary>
/// Signs in a request that carries <c>Authorization: Bearer &lt;api key&gt;</c> (or, for the SignalR hub, whose
/// WebSocket cannot carry headers from browsers, <c>?access_token=</c>) as the key's owner with the owner's roles.
/// A key scoped to an endpoint carries no roles and is refused everywhere but that endpoint's predict route.
/// Verified keys are cached for a few seconds (<see cref="ApiKeyCache"/>): predictions come thousands per second.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyQueries keys,
    RecordApiKeyUse recordUse,
    UserManager<StudioUser> users,
    ApiKeyCache cache,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string KeyIdClaim = "api_key_id";
    public const string EndpointScopeClaim = "endpoint_scope";
    public const string RateLimitClaim = "requests_per_second";

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

        var hash = Convert.ToHexString(ApiKeySecrets.Hash(secret));
        var entry = cache.Find(hash) ?? await VerifyAsync(secret, hash);
        if (entry is null) return AuthenticateResult.Fail("The API key is not valid or was revoked.");
        if (entry.EndpointId is { } scope && !IsPredictRouteOf(scope))
            return AuthenticateResult.Fail($"This key only calls POST /api/v1/endpoints/{scope}/predict.");

        var now = clock.GetUtcNow();
        if (now - entry.LastUsedWritten > ApiKeyCache.LastUsedResolution)
        {
            cache.Add(hash, entry with { LastUsedWritten = now });
            await recordUse.HandleAsync(entry.KeyId, now, Context.RequestAborted);
        }
        var principal = new ClaimsPrincipal(new ClaimsIdentity(entry.Claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private async Task<ApiKeyCache.Entry?> VerifyAsync(string secret, string hash)
    {
        var key = await keys.MatchAsync(secret, Context.RequestAborted);
        if (key is null) return null;
        var user = await users.FindByIdAsync(key.UserId);
        if (user is null) return null;

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id),
            new(ClaimTypes.Name, user.UserName ?? user.Id),
            new(KeyIdClaim, key.KeyId.ToString()),
        };
        if (key.RequestsPerSecond is { } limit) claims.Add(new Claim(RateLimitClaim, limit.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (key.EndpointId is { } endpoint) claims.Add(new Claim(EndpointScopeClaim, endpoint.ToString()));
        else claims.AddRange((await users.GetRolesAsync(user)).Select(role => new Claim(ClaimTypes.Role, role)));
        var entry = new ApiKeyCache.Entry(key.KeyId, key.EndpointId, claims, clock.GetUtcNow() + ApiKeyCache.Lifetime, DateTimeOffset.MinValue);
        cache.Add(hash, entry);
        return entry;
    }

    private bool IsPredictRouteOf(Guid endpointId)
    {
        var segments = Request.Path.Value?.Trim('/').Split('/') ?? [];
        return HttpMethods.IsPost(Request.Method) && segments is ["api", "v1", "endpoints", var id, "predict"]
               && Guid.TryParse(id, out var requested) && requested == endpointId;
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Task.CompletedTask;
    }
}
