using System.Security.Claims;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Core.Identity;
using AutoMLStudio.Web.Auth;

namespace AutoMLStudio.Web.Api;

public sealed record CreateEndpointKeyBody(string? Name, int? RequestsPerSecond);

/// <summary>API keys that only call one endpoint's predict route: for the program that uses the model, not for people.</summary>
public static class EndpointKeysApi
{
    public static void MapEndpointKeysApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/endpoints/{id:guid}/keys").WithTags("Endpoints");
        group.MapPost("/", CreateAsync).RequireAuthorization(StudioPolicies.Editor)
            .WithSummary("Create an API key scoped to this endpoint's predictions, with an optional requestsPerSecond limit; the key is in this response only")
            .Produces<CreatedApiKey>(StatusCodes.Status201Created).ProducesProblem(400).ProducesProblem(404);
        group.MapGet("/", ListAsync).RequireAuthorization(StudioPolicies.Editor)
            .WithSummary("The endpoint's scoped API keys, newest first (never their secrets)").Produces<List<ApiKeyDto>>().ProducesProblem(404).Paged();
        group.MapDelete("/{keyId:guid}", RevokeAsync).RequireAuthorization(StudioPolicies.Editor)
            .WithSummary("Revoke one of the endpoint's keys; it stops working at once").Produces(204).ProducesProblem(404);
    }

    private static async Task<IResult> CreateAsync(Guid id, CreateEndpointKeyBody? body, CreateApiKey create, EndpointQueries endpoints, ClaimsPrincipal user,
        CancellationToken ct)
    {
        await endpoints.EnsureExistsAsync(id, ct);
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new UserInputException("Not signed in", "Sign in first.", 401);
        var created = await create.ForEndpointAsync(userId, id, body?.Name, body?.RequestsPerSecond, ct);
        return Results.Created($"/api/v1/endpoints/{id}/keys", created);
    }

    private static async Task<IResult> ListAsync(Guid id, EndpointQueries endpoints, Paging paging, CancellationToken ct) =>
        Results.Ok(paging.Answer(await endpoints.KeysAsync(id, paging.Request, ct))
            .Select(k => new ApiKeyDto(k.Id, k.Name, k.Prefix, k.CreatedAt, k.LastUsedAt, k.RevokedAt, k.EndpointId, k.RequestsPerSecond)).ToList());

    private static async Task<IResult> RevokeAsync(Guid id, Guid keyId, RevokeApiKey revoke, CancellationToken ct)
    {
        await revoke.HandleAsync(keyId, endpointId: id, ct: ct);
        return Results.NoContent();
    }
}
