using System.Security.Claims;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Web.Auth;

namespace AutoMLStudio.Web.Api;

public static class ModelsApi
{
    public static void MapModelsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/models").WithTags("Models");

        group.MapPost("/", RegisterAsync).RequireAuthorization(StudioPolicies.Editor)
            .WithSummary("Register a completed trial as the next version of a named model")
            .Produces<RegisteredDto>(StatusCodes.Status201Created).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        group.MapGet("/", ListAsync).WithSummary("List registered models by name, with their versions").Produces<List<ModelDto>>().Paged();
        group.MapGet("/{id:guid}", GetAsync).WithSummary("A registered model, its versions and model cards").ProducesProblem(404);
        group.MapGet("/{id:guid}/download", DownloadAsync)
            .WithSummary("Download a model version (latest unless version=N): format=onnx gives model.onnx (opset 13); format=torchsharp a zip of " +
                         "weights.dat and model.json (architecture, preprocessing, classes); format=bundle a zip of the ONNX graph, its " +
                         "preprocessing, labels and a README with C# and Python code")
            .Produces(200, contentType: "application/zip").ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        group.MapPatch("/{id:guid}/versions/{version:int}", UpdateVersionAsync).RequireAuthorization(StudioPolicies.Editor)
            .WithSummary("Change a version's stage (none, staging, production, archived; production and archived by team leads and admins) " +
                         "or its intended use and notes on the model card")
            .Produces<ModelDto>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
    }

    private static async Task<IResult> RegisterAsync(RegisterModelBody? body, RegisterModel register, ClaimsPrincipal user, CancellationToken ct)
    {
        if (body is null || body.TrialId == Guid.Empty)
            throw new UserInputException("Trial missing", "Say which trial to register: send {\"trialId\": \"...\", \"name\": \"...\"}.");
        var version = await register.HandleAsync(new RegisterModelRequest(body.TrialId, body.Name), user.FindFirstValue(ClaimTypes.NameIdentifier), ct);
        return Results.Created($"/api/v1/models/{version.ModelId}", new RegisteredDto(version.ModelId, version.Model!.Name, version.Version, version.Id));
    }

    private static async Task<IResult> ListAsync(ModelQueries models, Paging paging, CancellationToken ct) =>
        Results.Ok(paging.Answer(await models.ListAsync(paging.Request, ct)).Select(m => m.ToDto()).ToList());

    private static async Task<IResult> GetAsync(Guid id, ModelQueries models, CancellationToken ct) => Results.Ok((await models.GetAsync(id, ct)).ToDto());

    private static async Task<IResult> UpdateVersionAsync(Guid id, int version, UpdateModelVersionBody? body, UpdateModelVersion update,
        ModelQueries models, ClaimsPrincipal user, CancellationToken ct)
    {
        if (body is null) throw new UserInputException("Nothing to change", "Send {\"stage\": \"staging\"} and/or {\"intendedUse\": \"...\", \"notes\": \"...\"}.");
        var mayPromote = user.IsInRole(Core.Identity.StudioRoles.Admin) || user.IsInRole(Core.Identity.StudioRoles.TeamLead);
        await update.HandleAsync(new UpdateModelVersionRequest(id, version, body.Stage, body.IntendedUse, body.Notes), mayPromote, ct);
        return Results.Ok((await models.GetAsync(id, ct)).ToDto());
    }

    private static async Task<IResult> DownloadAsync(Guid id, string? format, int? version, ModelDownloads downloads, CancellationToken ct)
    {
        var file = await downloads.OpenAsync(id, format, version, ct);
        return file.Path is { } path
            ? Results.File(path, file.ContentType, file.FileName)
            : Results.File(file.Content!, file.ContentType, file.FileName);
    }
}
