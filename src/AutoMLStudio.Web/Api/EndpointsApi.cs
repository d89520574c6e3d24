using System.Security.Claims;
using System.Text.Json;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Core.Identity;
using AutoMLStudio.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Web.Api;

public sealed record DeployBody(Guid ModelId, string? Name, int? Version);

public sealed record SwapBody(Guid? ModelId, int? Version);

public sealed record EndpointDto(Guid Id, string Name, string Status, string PredictUrl, Guid ModelId, string ModelName, int Version, Guid VersionId,
    string Task, IReadOnlyList<string> Classes, string Accepts, DateTimeOffset CreatedAt, DateTimeOffset? SwappedAt);

public sealed record PredictResponse(IReadOnlyList<Prediction> Predictions);

public static class EndpointsApi
{
    public const string PredictRateLimit = "predict";

    public static void MapEndpointsApi(this RouteGroupBuilder api, long maxPredictBytes)
    {
        var group = api.MapGroup("/endpoints").WithTags("Endpoints");

        group.MapPost("/", CreateAsync).RequireAuthorization(StudioPolicies.Editor)
            .WithSummary("Deploy a registered model (its latest version unless version is given) as a prediction endpoint")
            .Produces<EndpointDto>(StatusCodes.Status201Created).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        group.MapGet("/", ListAsync).WithSummary("List prediction endpoints by name").Produces<List<EndpointDto>>().Paged();
        group.MapGet("/{id:guid}", GetAsync).WithSummary("A prediction endpoint and the model version it serves").ProducesProblem(404);
        group.MapPut("/{id:guid}/model", SwapAsync).RequireAuthorization(StudioPolicies.Editor)
            .WithSummary("Swap the endpoint to another model version; requests keep being answered during the swap")
            .Produces<EndpointDto>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        group.MapDelete("/{id:guid}", DeleteAsync).RequireAuthorization(StudioPolicies.Editor)
            .WithSummary("Undeploy an endpoint; its scoped API keys are revoked").Produces(204).ProducesProblem(404);

        group.MapPost("/{id:guid}/predict", PredictAsync)
            .RequireRateLimiting(PredictRateLimit)
            .WithMetadata(new RequestSizeLimitAttribute(maxPredictBytes))
            .WithSummary("Predict: images as multipart files named 'file' (one or more) or base64 in {\"images\": [...]}; tabular and text rows as {\"instances\": [{...}]}")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.Description =
                    "Image models: multipart/form-data with one or more files in the field 'file', or JSON {\"images\": [\"<base64>\", ...]}. " +
                    "Tabular models: JSON {\"instances\": [{\"column\": value, ...}]} with every column the model reads (null for unknown). " +
                    "Text models: JSON {\"instances\": [{\"text\": \"...\"}]}. At most 256 per request. Answers " +
                    "{\"predictions\": [{\"label\", \"score\", \"scores\": {label: probability}}]} (regression: {\"value\"}). " +
                    "Sample: curl -H 'Authorization: Bearer <key>' -F file=@shoe.png <studio>/api/v1/endpoints/<id>/predict";
                return Task.CompletedTask;
            })
            .Produces<PredictResponse>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(404).ProducesProblem(413)
            .ProducesProblem(415).ProducesProblem(429);
    }

    private static async Task<IResult> CreateAsync(DeployBody? body, DeployModel deploy, StudioDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        if (body is null) throw new UserInputException("Model missing", "Send {\"modelId\": \"...\", \"name\": \"...\"}.");
        var endpoint = await deploy.CreateAsync(new DeployModelRequest(body.ModelId, body.Name, body.Version), user.FindFirstValue(ClaimTypes.NameIdentifier), ct);
        var dto = await ToDtoAsync(db, endpoint, ct);
        return Results.Created($"/api/v1/endpoints/{endpoint.Id}", dto);
    }

    private static async Task<IResult> ListAsync(StudioDbContext db, Paging page, CancellationToken ct)
    {
        var endpoints = await page.ListAsync(db.Endpoints.AsNoTracking().OrderBy(e => e.Name).ThenBy(e => e.Id), ct);
        var result = new List<EndpointDto>(endpoints.Count);
        foreach (var endpoint in endpoints) result.Add(await ToDtoAsync(db, endpoint, ct));
        return Results.Ok(result);
    }

    private static async Task<IResult> GetAsync(Guid id, StudioDbContext db, CancellationToken ct) =>
        Results.Ok(await ToDtoAsync(db, await FindAsync(db, id, ct), ct));

    private static async Task<IResult> SwapAsync(Guid id, SwapBody? body, DeployModel deploy, StudioDbContext db, CancellationToken ct)
    {
        if (body?.Version is null && body?.ModelId is null)
            throw new UserInputException("Version missing", "Say which version to serve: send {\"version\": 2} (and \"modelId\" for another model).");
        var endpoint = await deploy.SwapAsync(id, body.ModelId, body.Version, ct);
        return Results.Ok(await ToDtoAsync(db, endpoint, ct));
    }

    private static async Task<IResult> DeleteAsync(Guid id, DeployModel deploy, CancellationToken ct)
    {
        await deploy.DeleteAsync(id, ct);
        return Results.NoContent();
    }

    private static async Task<IResult> PredictAsync(Guid id, HttpContext http, MonitoredPredictions predictions, CancellationToken ct)
    {
        if (http.User.FindFirstValue(ApiKeyAuthenticationHandler.EndpointScopeClaim) is { } scope && scope != id.ToString())
            throw new UserInputException("Key not for this endpoint", "This API key is scoped to another endpoint.", 403);
        return Results.Ok(new PredictResponse(await predictions.RunAsync(id, predictor => PredictionRequest.RunAsync(http.Request, predictor, ct), ct)));
    }

    internal static async Task<ModelEndpoint> FindAsync(StudioDbContext db, Guid id, CancellationToken ct) =>
        await db.Endpoints.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct) ?? throw UserInputException.NotFound("Endpoint", id);

    internal static async Task<EndpointDto> ToDtoAsync(StudioDbContext db, ModelEndpoint e, CancellationToken ct)
    {
        var version = await db.ModelVersions.AsNoTracking().Include(v => v.Model).SingleAsync(v => v.Id == e.ModelVersionId, ct);
        var card = Core.Registry.ModelCard.FromJson(version.CardJson);
        var accepts = card.Input is { } input
            ? $"{input.ColorMode} images (resized to {input.Width}×{input.Height})"
            : card.Task == Core.Searches.SearchTasks.TextClassification ? "instances {\"text\": \"...\"}"
            : $"instances with {string.Join(", ", card.Rows?.Fields ?? [])}";
        return new EndpointDto(e.Id, e.Name, "active", $"/api/v1/endpoints/{e.Id}/predict", version.ModelId, version.Model!.Name, version.Version,
            version.Id, Core.Searches.SearchTasks.Name(card.Task), card.Classes, accepts, e.CreatedAt, e.SwappedAt);
    }
}
