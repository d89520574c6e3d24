using System.Security.Claims;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Web.Auth;
using AutoMLStudio.Core.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Web.Api;

public static class DatasetsApi
{
    public static void MapDatasetsApi(this RouteGroupBuilder api, long maxUploadBytes)
    {
        var group = api.MapGroup("/datasets").WithTags("Datasets");

        group.MapPost("/", UploadAsync)
            .RequireAuthorization(StudioPolicies.Editor)
            .WithMetadata(new RequestSizeLimitAttribute(maxUploadBytes + 1024 * 1024))
            .WithSummary("Upload a dataset (zip of class folders or images, CSV, or image files); the import runs in the background")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // Described by hand: declaring the form as a parameter would make a wrong content type a bare 415
                // instead of a problem that says how to send the file.
                operation.Description = "multipart/form-data with the zip, CSV/TSV or image in the field 'file' (several 'file' fields " +
                                        "of images make an unlabeled dataset), an optional 'name', and for a CSV optional 'labelColumn' " +
                                        "and 'textColumn' (a text column makes a text dataset).";
                return Task.CompletedTask;
            })
            .Produces<DatasetDto>(StatusCodes.Status202Accepted)
            .ProducesProblem(400).ProducesProblem(413);

        group.MapPost("/from-folder", FromFolderAsync).RequireAuthorization(StudioPolicies.Admin)
            .WithSummary("Import images from a folder on the server inside Studio:Import:ServerFolders (admins only)")
            .Produces<DatasetDto>(StatusCodes.Status202Accepted).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
        group.MapPost("/{id:guid}/cancel", CancelAsync).RequireAuthorization(StudioPolicies.Editor)
            .WithSummary("Cancel a running import; it stops at the next file or row and removes what it made")
            .Produces(StatusCodes.Status202Accepted).ProducesProblem(404).ProducesProblem(409);
        group.MapPut("/{id:guid}/schema", SchemaAsync).RequireAuthorization(StudioPolicies.Editor)
            .WithSummary("Change a table's label column, task or column types; a new label column or task relabels every row")
            .Produces<DatasetDto>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);

        group.MapGet("/", ListAsync).WithSummary("List datasets, newest first").Produces<List<DatasetDto>>().Paged();
        group.MapGet("/{id:guid}", GetAsync).WithSummary("A dataset with class counts and quality warnings").ProducesProblem(404);
        group.MapGet("/{id:guid}/items", ItemsAsync)
            .WithSummary("Page through a dataset's items, filtered by label, unlabeled=true, or suspect=true (flagged by the quality report); order=suggested puts the items a model is least sure of first")
            .ProducesProblem(404);
        group.MapGet("/{id:guid}/items/{itemId:guid}/thumbnail", ThumbnailAsync).WithSummary("An item's thumbnail (PNG)")
            .Produces(200, contentType: "image/png").ProducesProblem(404);
        group.MapGet("/{id:guid}/items/{itemId:guid}/image", ImageAsync)
            .WithSummary("An item's original image file, for a large preview; its type is the format the file decodes as, and a file that " +
                         "does not decode is not served (404)")
            .Produces(200, typeof(void), "image/png", "image/jpeg", "image/webp", "image/gif", "image/bmp").ProducesProblem(404);
        group.MapPut("/{id:guid}/items/{itemId:guid}/label", LabelAsync).RequireAuthorization(StudioPolicies.Editor)
            .WithSummary("Set or clear an item's label; with expectedRevision, the answer says whose newer label it replaced")
            .Produces<LabelChange>().ProducesProblem(400).ProducesProblem(404);

        group.MapGet("/{id:guid}/budget-estimate", BudgetEstimateAsync).WithSummary("What a search budget buys on this dataset, before Start")
            .WithDescription("maxMinutes, maxTrials and maxEpochsPerTrial as a search's budget would give them (all optional). Answers "
                + "defaultMinutes (what a search gets with no limit, from the data's size), maxMinutes (what this budget runs for), "
                + "epochsPerTrial, expectedTrials and secondsPerTrial from a cost model and this machine's measured speed, and the same "
                + "in a sentence. See docs/budgets.md.")
            .Produces<BudgetEstimateDto>().ProducesProblem(400).ProducesProblem(404);
        group.MapGet("/{id:guid}/quality", QualityAsync).WithSummary("A dataset's data quality report with what to do about each warning")
            .Produces<DatasetQualityDto>().ProducesProblem(404);
        group.MapPost("/{id:guid}/quality", RecomputeQualityAsync).RequireAuthorization(StudioPolicies.Editor)
            .WithSummary("Recompute the data quality report in the background").Produces(StatusCodes.Status202Accepted).ProducesProblem(404);

        group.MapPost("/{id:guid}/versions", CreateVersionAsync).RequireAuthorization(StudioPolicies.Editor)
            .WithSummary("Freeze the current labels into a new version with a stratified train/validation/test split")
            .Produces<DatasetVersionDto>(StatusCodes.Status201Created).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        group.MapGet("/{id:guid}/versions", VersionsAsync).WithSummary("A dataset's versions, newest first, with per-class split counts")
            .Produces<List<DatasetVersionDto>>().ProducesProblem(404).Paged();
        group.MapGet("/{id:guid}/versions/{number:int}", VersionAsync).WithSummary("One version with its per-class split counts")
            .Produces<DatasetVersionDto>().ProducesProblem(404);
        group.MapGet("/{id:guid}/versions/{number:int}/export", ExportVersionAsync)
            .WithSummary("Download a version: images as a zip of class folders plus labels.csv; tabular and text data as one CSV")
            .Produces(200, contentType: "application/zip").ProducesProblem(404);
    }

    private static async Task<IResult> UploadAsync(HttpRequest request, UploadDataset upload, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!request.HasFormContentType)
            throw new UserInputException("Form upload expected",
                "Send the dataset as multipart/form-data with the zip in a field named 'file' (and optionally 'name').");
        var form = await request.ReadFormAsync(ct);
        var files = form.Files.GetFiles("file") is { Count: > 0 } named ? named : form.Files;
        if (files.Count == 0)
            throw new UserInputException("File missing", "No file was attached. Send the zip, CSV or images in form fields named 'file'.");
        var streams = files.Select(f => new UploadedFile(f.FileName, f.OpenReadStream())).ToList();
        try
        {
            var dataset = await upload.HandleAsync(new UploadDatasetRequest(form["name"].FirstOrDefault(), streams,
                user.FindFirstValue(ClaimTypes.NameIdentifier), form["labelColumn"].FirstOrDefault(), form["textColumn"].FirstOrDefault()), ct);
            return Accepted(dataset);
        }
        finally
        {
            foreach (var file in streams) await file.Content.DisposeAsync();
        }
    }

    private static IResult Accepted(Dataset dataset) =>
        Results.Accepted($"/api/v1/datasets/{dataset.Id}", new { id = dataset.Id, status = "importing", name = dataset.Name, kind = dataset.Kind.Lower() });

    private static async Task<IResult> FromFolderAsync(FromFolderRequest body, ImportServerFolder import, ClaimsPrincipal user, CancellationToken ct) =>
        Accepted(await import.HandleAsync(new ImportServerFolderRequest(body.Name, body.Path, user.FindFirstValue(ClaimTypes.NameIdentifier)), ct));

    private static async Task<IResult> CancelAsync(Guid id, CancelDatasetImport cancel, ClaimsPrincipal user, CancellationToken ct)
    {
        await cancel.HandleAsync(id, user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name, ct);
        return Results.Accepted($"/api/v1/datasets/{id}", new { id, status = "importing", cancelRequested = true });
    }

    private static async Task<IResult> SchemaAsync(Guid id, SchemaRequest body, ChangeDatasetSchema change, DatasetQueries datasets, CancellationToken ct)
    {
        var dataset = await change.HandleAsync(id, new ChangeDatasetSchemaRequest(body.LabelColumn, body.Task, body.ColumnTypes), ct);
        return Results.Ok((await datasets.GetAsync(dataset.Id, ct)).ToDto());
    }

    private static async Task<IResult> ListAsync(DatasetQueries datasets, Paging page, CancellationToken ct) =>
        Results.Ok(page.Answer(await datasets.ListAsync(page.Request, ct)).Select(d => d.ToDto()).ToList());

    private static async Task<IResult> GetAsync(Guid id, DatasetQueries datasets, CancellationToken ct) =>
        Results.Ok((await datasets.GetAsync(id, ct)).ToDto());

    private static async Task<IResult> ItemsAsync(
        Guid id, DatasetQueries datasets, string? label, bool? unlabeled, bool? suspect, int? skip, int? take, string? order, CancellationToken ct)
    {
        var items = await datasets.ItemsAsync(id, label, unlabeled == true, suspect == true, order, skip, take, ct);
        return Results.Ok(new ItemPageDto(items.Total, items.Items.Select(i => i.ToDto()).ToList()));
    }

    private static async Task<IResult> ThumbnailAsync(
        Guid id, Guid itemId, DatasetQueries datasets, IArtifactStore store, HttpResponse response, CancellationToken ct)
    {
        if (!await datasets.ItemExistsAsync(id, itemId, ct)) throw UserInputException.NotFound("Item", itemId);
        var path = store.FullPath(ArtifactPaths.Thumbnail(id, itemId));
        return File.Exists(path) ? ImageResults.File(response, path, itemId) : throw UserInputException.NotFound("Thumbnail", itemId);
    }

    private static async Task<IResult> ImageAsync(
        Guid id, Guid itemId, DatasetQueries datasets, IArtifactStore store, HttpResponse response, CancellationToken ct)
    {
        var storagePath = await datasets.StoragePathAsync(id, itemId, ct);
        var path = storagePath is null ? null : store.FullPath(storagePath);
        if (path is null || !File.Exists(path)) throw UserInputException.NotFound("Image", itemId);
        return ImageResults.File(response, path, itemId);
    }

    private static async Task<IResult> LabelAsync(
        Guid id, Guid itemId, LabelRequest? body, LabelItems labels, ClaimsPrincipal user, CancellationToken ct)
    {
        if (body is null) throw new UserInputException("Label missing", "Send {\"label\": \"cat\"}, or {\"label\": null} to clear it.");
        var change = await labels.SetAsync(id, itemId, body.Label, body.ExpectedRevision, user.FindFirstValue(ClaimTypes.NameIdentifier), ct);
        return Results.Ok(change);
    }

    private static async Task<IResult> BudgetEstimateAsync(Guid id, double? maxMinutes, int? maxTrials, int? maxEpochsPerTrial, BudgetPlan plan,
        CancellationToken ct)
    {
        BudgetPlan.Check(maxTrials, maxMinutes, maxEpochsPerTrial);
        var profile = await plan.ProfileAsync(id, ct);
        return Results.Ok(BudgetPlan.Estimate(profile, maxMinutes, maxTrials, maxEpochsPerTrial).ToDto());
    }

    private static async Task<IResult> QualityAsync(Guid id, DatasetQueries datasets, CancellationToken ct) =>
        Results.Ok((await datasets.GetAsync(id, ct)).Quality.ToDto());

    private static async Task<IResult> RecomputeQualityAsync(Guid id, DatasetQueries datasets, RequestQualityReport quality, CancellationToken ct)
    {
        await datasets.EnsureExistsAsync(id, ct);
        await quality.HandleAsync(id, ct); // already queued: that run reads the latest labels, so there is nothing more to do
        return Results.Accepted($"/api/v1/datasets/{id}/quality", new { datasetId = id, status = "queued" });
    }

    private static async Task<IResult> CreateVersionAsync(
        Guid id, CreateVersionBody? body, CreateDatasetVersion create, ClaimsPrincipal user, CancellationToken ct)
    {
        var version = await create.HandleAsync(new CreateDatasetVersionRequest(id, body?.Seed, body?.ValidationFraction, body?.TestFraction,
            body?.Note, user.FindFirstValue(ClaimTypes.NameIdentifier), body?.IncludeSuggestions == true), ct);
        return Results.Created($"/api/v1/datasets/{id}/versions/{version.Number}", DatasetVersionView.From(version).ToDto());
    }

    private static async Task<IResult> VersionsAsync(Guid id, DatasetQueries datasets, Paging page, CancellationToken ct) =>
        Results.Ok(page.Answer(await datasets.VersionsAsync(id, page.Request, ct)).Select(v => v.ToDto()).ToList());

    private static async Task<IResult> VersionAsync(Guid id, int number, DatasetQueries datasets, CancellationToken ct) =>
        Results.Ok((await datasets.VersionAsync(id, number, ct)).ToDto());

    private static async Task<IResult> ExportVersionAsync(Guid id, int number, ExportDatasetVersion export, CancellationToken ct)
    {
        // Written to a temporary file first: ZipArchive still writes some headers synchronously, which the response
        // body refuses, and a failure half-way then becomes a problem response instead of a cut-off download.
        var download = await export.HandleAsync(id, number, ct);
        var temp = new FileStream(Path.Combine(Path.GetTempPath(), $"amls-export-{Guid.NewGuid():N}"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await download.WriteAsync(temp, ct);
            temp.Position = 0;
            return Results.File(temp, download.ContentType, download.FileName);
        }
        catch
        {
            await temp.DisposeAsync();
            throw;
        }
    }
}
