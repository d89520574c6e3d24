using System.IO.Compression;
using System.Security.Claims;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Web.Auth;
using Microsoft.EntityFrameworkCore;

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

    private static async Task<IResult> ListAsync(StudioDbContext db, Paging page, CancellationToken ct)
    {
        var models = await page.ListAsync(db.Models.AsNoTracking().Include(m => m.Versions).OrderBy(m => m.Name).ThenBy(m => m.Id), ct);
        return Results.Ok(models.Select(m => m.ToDto()).ToList());
    }

    private static async Task<IResult> GetAsync(Guid id, StudioDbContext db, CancellationToken ct)
    {
        var model = await db.Models.AsNoTracking().Include(m => m.Versions).SingleOrDefaultAsync(m => m.Id == id, ct)
                    ?? throw UserInputException.NotFound("Model", id);
        return Results.Ok(model.ToDto());
    }

    private static async Task<IResult> UpdateVersionAsync(Guid id, int version, UpdateModelVersionBody? body, UpdateModelVersion update,
        StudioDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        if (body is null) throw new UserInputException("Nothing to change", "Send {\"stage\": \"staging\"} and/or {\"intendedUse\": \"...\", \"notes\": \"...\"}.");
        var mayPromote = user.IsInRole(Core.Identity.StudioRoles.Admin) || user.IsInRole(Core.Identity.StudioRoles.TeamLead);
        await update.HandleAsync(new UpdateModelVersionRequest(id, version, body.Stage, body.IntendedUse, body.Notes), mayPromote, ct);
        var model = await db.Models.AsNoTracking().Include(m => m.Versions).SingleAsync(m => m.Id == id, ct);
        return Results.Ok(model.ToDto());
    }

    private static async Task<IResult> DownloadAsync(Guid id, string? format, int? version, StudioDbContext db, IArtifactStore store, CancellationToken ct)
    {
        format = (format ?? "torchsharp").ToLowerInvariant();
        if (format is not ("torchsharp" or "onnx" or "bundle"))
            throw new UserInputException("Unknown format", $"'{format}' is not a download format. Use format=onnx, format=torchsharp or format=bundle.");

        var model = await db.Models.AsNoTracking().Include(m => m.Versions).SingleOrDefaultAsync(m => m.Id == id, ct)
                    ?? throw UserInputException.NotFound("Model", id);
        var chosen = version is null ? model.Versions.MaxBy(v => v.Version) : model.Versions.SingleOrDefault(v => v.Version == version);
        if (chosen is null)
            throw new UserInputException("Version not found", $"Model '{model.Name}' has no version {version}.", 404);

        var folder = store.FullPath(chosen.ArtifactFolder);
        var baseName = $"{Sanitize(model.Name)}-v{chosen.Version}";
        if (format != "torchsharp" && chosen.OnnxSha256 is null)
            throw new UserInputException("No ONNX graph",
                $"Version {chosen.Version} was registered before the studio exported ONNX. Register its trial again for an ONNX download.", 409);
        if (format == "onnx")
            return Results.File(Path.Combine(folder, ModelFiles.Onnx), "application/octet-stream", $"{baseName}.onnx");

        var card = ModelCard.FromJson(chosen.CardJson);
        var zip = new MemoryStream();
        if (format == "bundle")
        {
            ModelBundle.Write(zip, folder, chosen, card);
        }
        else
        {
            using var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true);
            archive.CreateEntryFromFile(Path.Combine(folder, ModelFiles.Weights), ModelFiles.Weights, CompressionLevel.Fastest);
            using (var writer = new StreamWriter(archive.CreateEntry(ModelFiles.Card, CompressionLevel.Fastest).Open()))
                writer.Write(chosen.CardJson);
            if (chosen.PreprocessingSha256 is not null)
                archive.CreateEntryFromFile(Path.Combine(folder, ModelFiles.Preprocessing), ModelFiles.Preprocessing, CompressionLevel.Fastest);
        }
        zip.Position = 0;
        return Results.File(zip, "application/zip", $"{baseName}-{format}.zip");
    }

    private static string Sanitize(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
}
