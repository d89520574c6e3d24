using System.Security.Claims;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Identity;
using AutoMLStudio.Web.Auth;

namespace AutoMLStudio.Web.Api;

public sealed record CreateApiKeyBody(string? Name);

public sealed record ApiKeyDto(Guid Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt,
    Guid? EndpointId = null, int? RequestsPerSecond = null);

public static class ApiKeysApi
{
    public static void MapApiKeysApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/apikeys").WithTags("API keys");
        group.MapPost("/", async (CreateApiKeyBody? body, CreateApiKey create, ClaimsPrincipal user, CancellationToken ct) =>
                Results.Created("/api/v1/apikeys", await create.HandleAsync(UserId(user), body?.Name, ct)))
            .WithSummary("Create an API key for yourself; the key is in this response only").Produces<CreatedApiKey>(201);
        group.MapGet("/", async (ApiKeyQueries keys, ClaimsPrincipal user, Paging page, CancellationToken ct) =>
                Results.Ok(page.Answer(await keys.OfUserAsync(UserId(user), page.Request, ct))
                    .Select(k => new ApiKeyDto(k.Id, k.Name, k.Prefix, k.CreatedAt, k.LastUsedAt, k.RevokedAt, k.EndpointId)).ToList()))
            .WithSummary("Your API keys, newest first (never their secrets)").Produces<List<ApiKeyDto>>().Paged();
        group.MapDelete("/{id:guid}", async (Guid id, RevokeApiKey revoke, ClaimsPrincipal user, CancellationToken ct) =>
            {
                await revoke.HandleAsync(id, ownerId: UserId(user), ct: ct);
                return Results.NoContent();
            })
            .WithSummary("Revoke one of your API keys").ProducesProblem(404);
    }

    private static string UserId(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new UserInputException("Not signed in", "Sign in first.", 401);
}
