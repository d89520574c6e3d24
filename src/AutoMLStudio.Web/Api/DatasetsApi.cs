using System.Security.Claims;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Web.Auth;
using AutoMLStudio.Core.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Web.Api;

public static class DatasetsApi
{
    public static void MapDatasetsApi(this RouteGroupBuilder api, long maxUploadBytes)
    {
        var group = api.MapGroup("/datasets").WithTags("Datasets");

        group.MapPost("/", UploadAsync)
            .RequireAuthorization(StudioPolicies.Editor)
            .DisableAntiforgery() // API clients authenticate with a bearer key; the UI uploads through its circuit
            .WithMetadata(new RequestSizeLimitAttribute(maxUploadBytes + 1024 * 1024))
            .WithSummary("Upload a dataset (zip of class folders); the import runs in the background")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // Described by hand: declaring the form as a parameter would make a wrong content type a bare 415
                // instead of a problem that says how to send the file.
                operation.Description = "multipart/form-data with the zip in the field 'file' and an optional 'name'.";
                return Task.CompletedTask;
            })
            .Produces<DatasetDto>(StatusCodes.Status202Accepted)
            .ProducesProblem(400).ProducesProblem(413);

        group.MapGet("/", ListAsync).WithSummary("List datasets");
        group.MapGet("/{id:guid}", GetAsync).WithSummary("A dataset with class counts and quality warnings").ProducesProblem(404);
        group.MapGet("/{id:guid}/items", ItemsAsync).WithSummary("Page through a dataset's items, filtered by label").ProducesProblem(404);
        group.MapGet("/{id:guid}/items/{itemId:guid}/thumbnail", ThumbnailAsync).WithSummary("An item's thumbnail (PNG)")
            .Produces(200, contentType: "image/png").ProducesProblem(404);
        group.MapGet("/{id:guid}/items/{itemId:guid}/image", ImageAsync).WithSummary("An item's original image file, for a large preview")
            .Produces(200, typeof(void), "image/png", "image/jpeg").ProducesProblem(404);
        group.MapPut("/{id:guid}/items/{itemId:guid}/label", LabelAsync).RequireAuthorization(StudioPolicies.Editor)
            .WithSummary("Set or clear an item's label; with expectedRevision, the answer says whose newer label it replaced")
            .Produces<LabelChange>().ProducesProblem(400).ProducesProblem(404);
    }

    private static async Task<IResult> UploadAsync(
        HttpRequest request, UploadDataset upload, StudioDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!request.HasFormContentType)
            throw new UserInputException("Form upload expected",
                "Send the dataset as multipart/form-data with the zip in a field named 'file' (and optionally 'name').");
        var form = await request.ReadFormAsync(ct);
        var file = form.Files.GetFile("file") ?? form.Files.FirstOrDefault()
                   ?? throw new UserInputException("File missing", "No file was attached. Send the zip in a form field named 'file'.");
        await using var content = file.OpenReadStream();
        var dataset = await upload.HandleAsync(new UploadDatasetRequest(form["name"].FirstOrDefault(), file.FileName, content,
            user.FindFirstValue(ClaimTypes.NameIdentifier)), ct);
        return Results.Accepted($"/api/v1/datasets/{dataset.Id}", new { id = dataset.Id, status = "importing", name = dataset.Name });
    }

    private static async Task<IResult> ListAsync(StudioDbContext db, CancellationToken ct)
    {
        var datasets = await db.Datasets.AsNoTracking().OrderByDescending(d => d.CreatedAt).ToListAsync(ct);
        var result = new List<DatasetDto>();
        foreach (var d in datasets) result.Add(d.ToDto(await ClassesAsync(db, d.Id, ct)));
        return Results.Ok(result);
    }

    private static async Task<IResult> GetAsync(Guid id, StudioDbContext db, CancellationToken ct)
    {
        var dataset = await db.Datasets.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, ct) ?? throw UserInputException.NotFound("Dataset", id);
        return Results.Ok(dataset.ToDto(await ClassesAsync(db, id, ct)));
    }

    private static async Task<IResult> ItemsAsync(
        Guid id, StudioDbContext db, string? label, bool? unlabeled, int? skip, int? take, CancellationToken ct)
    {
        if (!await db.Datasets.AnyAsync(d => d.Id == id, ct)) throw UserInputException.NotFound("Dataset", id);
        if (skip is < 0 || take is < 1 or > 1000)
            throw new UserInputException("Invalid paging", "'skip' must be 0 or more and 'take' between 1 and 1000.");
        var query = db.DatasetItems.AsNoTracking().Where(i => i.DatasetId == id);
        if (unlabeled == true) query = query.Where(i => i.Label == null);
        else if (!string.IsNullOrEmpty(label)) query = query.Where(i => i.Label == label);
        var total = await query.CountAsync(ct);
        var items = await query.OrderBy(i => i.OriginalName).ThenBy(i => i.Id).Skip(skip ?? 0).Take(take ?? 100).ToListAsync(ct);
        return Results.Ok(new ItemPageDto(total, items.Select(i => i.ToDto()).ToList()));
    }

    private static async Task<IResult> ThumbnailAsync(Guid id, Guid itemId, StudioDbContext db, IArtifactStore store, CancellationToken ct)
    {
        if (!await db.DatasetItems.AnyAsync(i => i.DatasetId == id && i.Id == itemId, ct)) throw UserInputException.NotFound("Item", itemId);
        var path = store.FullPath(ArtifactPaths.Thumbnail(id, itemId));
        return File.Exists(path) ? Results.File(path, "image/png") : throw UserInputException.NotFound("Thumbnail", itemId);
    }

    private static async Task<IResult> ImageAsync(Guid id, Guid itemId, StudioDbContext db, IArtifactStore store, CancellationToken ct)
    {
        var storagePath = await db.DatasetItems.Where(i => i.DatasetId == id && i.Id == itemId).Select(i => i.StoragePath).SingleOrDefaultAsync(ct);
        var path = storagePath is null ? null : store.FullPath(storagePath);
        if (path is null || !File.Exists(path)) throw UserInputException.NotFound("Image", itemId);
        return Results.File(path, ImageTypes.TryGetContentType(path, out var type) ? type : "application/octet-stream");
    }

    private static readonly Microsoft.AspNetCore.StaticFiles.FileExtensionContentTypeProvider ImageTypes = new();

    private static async Task<IResult> LabelAsync(
        Guid id, Guid itemId, LabelRequest? body, LabelItems labels, ClaimsPrincipal user, CancellationToken ct)
    {
        if (body is null) throw new UserInputException("Label missing", "Send {\"label\": \"cat\"}, or {\"label\": null} to clear it.");
        var change = await labels.SetAsync(id, itemId, body.Label, body.ExpectedRevision, user.FindFirstValue(ClaimTypes.NameIdentifier), ct);
        return Results.Ok(change);
    }

    private static async Task<IReadOnlyList<ClassCountDto>> ClassesAsync(StudioDbContext db, Guid id, CancellationToken ct) =>
        (await db.ClassCountsAsync(id, ct)).Select(c => new ClassCountDto(c.Name, c.Count)).ToList();
}
