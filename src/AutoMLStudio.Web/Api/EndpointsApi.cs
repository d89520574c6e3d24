using System.Security.Claims;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Core.Identity;
using AutoMLStudio.Web.Auth;
using Microsoft.AspNetCore.Mvc;

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

    private static async Task<IResult> CreateAsync(DeployBody? body, DeployModel deploy, EndpointQueries endpoints, ClaimsPrincipal user, CancellationToken ct)
    {
        if (body is null) throw new UserInputException("Model missing", "Send {\"modelId\": \"...\", \"name\": \"...\"}.");
        var endpoint = await deploy.CreateAsync(new DeployModelRequest(body.ModelId, body.Name, body.Version), user.FindFirstValue(ClaimTypes.NameIdentifier), ct);
        return Results.Created($"/api/v1/endpoints/{endpoint.Id}", ToDto(await endpoints.GetAsync(endpoint.Id, ct)));
    }

    private static async Task<IResult> ListAsync(EndpointQueries endpoints, Paging paging, CancellationToken ct) =>
        Results.Ok(paging.Answer(await endpoints.ListAsync(paging.Request, ct)).Select(ToDto).ToList());

    private static async Task<IResult> GetAsync(Guid id, EndpointQueries endpoints, CancellationToken ct) => Results.Ok(ToDto(await endpoints.GetAsync(id, ct)));

    private static async Task<IResult> SwapAsync(Guid id, SwapBody? body, DeployModel deploy, EndpointQueries endpoints, CancellationToken ct)
    {
        if (body?.Version is null && body?.ModelId is null)
            throw new UserInputException("Version missing", "Say which version to serve: send {\"version\": 2} (and \"modelId\" for another model).");
        var endpoint = await deploy.SwapAsync(id, body.ModelId, body.Version, ct);
        return Results.Ok(ToDto(await endpoints.GetAsync(endpoint.Id, ct)));
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

    private static EndpointDto ToDto(EndpointView e)
    {
        var card = e.Card;
        var accepts = card.Input is { } input
            ? $"{input.ColorMode} images (resized to {input.Width}×{input.Height})"
            : e.Input == EndpointInput.Text ? "instances {\"text\": \"...\"}"
            : $"instances with {string.Join(", ", card.Rows?.Fields ?? [])}";
        return new EndpointDto(e.Id, e.Name, "active", e.PredictUrl, e.ModelId, e.ModelName, e.Version, e.VersionId, Core.Searches.SearchTasks.Name(card.Task), card.Classes, accepts,
            e.CreatedAt, e.SwappedAt);
    }
}
