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
        group.MapGet("/", ListAsync).WithSummary("List registered models with their versions");
        group.MapGet("/{id:guid}", GetAsync).WithSummary("A registered model, its versions and model cards").ProducesProblem(404);
        group.MapGet("/{id:guid}/download", DownloadAsync)
            .WithSummary("Download a model version: format=torchsharp gives a zip of weights.dat (TorchSharp) and model.json (architecture, preprocessing, classes)")
            .Produces(200, contentType: "application/zip").ProducesProblem(400).ProducesProblem(404);
    }

    private static async Task<IResult> RegisterAsync(RegisterModelBody? body, RegisterModel register, ClaimsPrincipal user, CancellationToken ct)
    {
        if (body is null || body.TrialId == Guid.Empty)
            throw new UserInputException("Trial missing", "Say which trial to register: send {\"trialId\": \"...\", \"name\": \"...\"}.");
        var version = await register.HandleAsync(new RegisterModelRequest(body.TrialId, body.Name), user.FindFirstValue(ClaimTypes.NameIdentifier), ct);
        return Results.Created($"/api/v1/models/{version.ModelId}", new RegisteredDto(version.ModelId, version.Model!.Name, version.Version, version.Id));
    }

    private static async Task<IResult> ListAsync(StudioDbContext db, CancellationToken ct)
    {
        var models = await db.Models.AsNoTracking().Include(m => m.Versions).OrderBy(m => m.Name).ToListAsync(ct);
        return Results.Ok(models.Select(m => m.ToDto()).ToList());
    }

    private static async Task<IResult> GetAsync(Guid id, StudioDbContext db, CancellationToken ct)
    {
        var model = await db.Models.AsNoTracking().Include(m => m.Versions).SingleOrDefaultAsync(m => m.Id == id, ct)
                    ?? throw UserInputException.NotFound("Model", id);
        return Results.Ok(model.ToDto());
    }

    private static async Task<IResult> DownloadAsync(Guid id, string? format, int? version, StudioDbContext db, IArtifactStore store, CancellationToken ct)
    {
        format = (format ?? "torchsharp").ToLowerInvariant();
        if (format == "onnx")
            throw new UserInputException("ONNX export not available yet",
                "This version exports TorchSharp weights with a JSON architecture description. Use format=torchsharp; ONNX export comes with the hosting release.");
        if (format != "torchsharp")
            throw new UserInputException("Unknown format", $"'{format}' is not a download format. Use format=torchsharp.");

        var model = await db.Models.AsNoTracking().Include(m => m.Versions).SingleOrDefaultAsync(m => m.Id == id, ct)
                    ?? throw UserInputException.NotFound("Model", id);
        var chosen = version is null ? model.Versions.MaxBy(v => v.Version) : model.Versions.SingleOrDefault(v => v.Version == version);
        if (chosen is null)
            throw new UserInputException("Version not found", $"Model '{model.Name}' has no version {version}.", 404);

        var folder = store.FullPath(chosen.ArtifactFolder);
        var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            archive.CreateEntryFromFile(Path.Combine(folder, RegisterModel.WeightsFile), RegisterModel.WeightsFile, CompressionLevel.Fastest);
            archive.CreateEntryFromFile(Path.Combine(folder, RegisterModel.CardFile), RegisterModel.CardFile, CompressionLevel.Fastest);
        }
        zip.Position = 0;
        var fileName = $"{Sanitize(model.Name)}-v{chosen.Version}-torchsharp.zip";
        return Results.File(zip, "application/zip", fileName);
    }

    private static string Sanitize(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
}
