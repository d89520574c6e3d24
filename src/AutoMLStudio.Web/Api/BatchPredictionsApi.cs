using System.Security.Claims;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace AutoMLStudio.Web.Api;

public sealed record BatchPredictionDto(Guid Id, Guid EndpointId, string FileName, string Status, int Done, int Failed, int? Total, string? Error,
    DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, string? ResultsUrl)
{
    public static BatchPredictionDto From(BatchPredictionView b) => new(b.Id, b.EndpointId, b.FileName, b.Status.ToString().ToLowerInvariant(), b.Done,
        b.Failed, b.Total, b.Error, b.CreatedAt, b.CompletedAt, b.ResultsUrl);
}

/// <summary>Predicting a whole file in the background: a zip of images or a CSV of rows in, a results CSV out.</summary>
public static class BatchPredictionsApi
{
    public static void MapBatchPredictionsApi(this RouteGroupBuilder api, long maxUploadBytes)
    {
        var group = api.MapGroup("/endpoints/{id:guid}/batches").WithTags("Endpoints");
        group.MapPost("/", StartAsync).RequireAuthorization(StudioPolicies.Editor)
            .WithMetadata(new RequestSizeLimitAttribute(maxUploadBytes + 1024 * 1024))
            .WithSummary("Start a batch prediction: multipart 'file' with a zip of images (image models) or a CSV with a header line (tabular models: " +
                         "the model's columns; text models: a 'text' column); poll it, then download its results CSV")
            .Produces<BatchPredictionDto>(StatusCodes.Status202Accepted).ProducesProblem(400).ProducesProblem(404).ProducesProblem(413).ProducesProblem(415);
        group.MapGet("/", ListAsync).WithSummary("The endpoint's batch predictions, newest first").Produces<List<BatchPredictionDto>>().Paged();
        group.MapGet("/{batchId:guid}", GetAsync).WithSummary("A batch prediction's progress").Produces<BatchPredictionDto>().ProducesProblem(404);
        group.MapGet("/{batchId:guid}/results.csv", ResultsAsync)
            .WithSummary("A finished batch's results: each input with label, score and every class's probability (or value), or why it failed")
            .Produces(200, contentType: "text/csv").ProducesProblem(404).ProducesProblem(409);
    }

    private static async Task<IResult> StartAsync(Guid id, HttpRequest request, StartBatchPrediction start, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!request.HasFormContentType)
            throw new UserInputException("File missing", "Send the file as multipart/form-data in a field named 'file'.", 415);
        var form = await request.ReadFormAsync(ct);
        var file = form.Files.GetFile("file") ?? throw new UserInputException("File missing", "The form has no field named 'file'.");
        await using var content = file.OpenReadStream();
        var batch = await start.HandleAsync(id, file.FileName, content, user.FindFirstValue(ClaimTypes.NameIdentifier), ct);
        return Results.Accepted($"/api/v1/endpoints/{id}/batches/{batch.Id}", BatchPredictionDto.From(BatchPredictionView.From(batch)));
    }

    private static async Task<IResult> ListAsync(Guid id, BatchPredictionQueries batches, Paging paging, CancellationToken ct) =>
        Results.Ok(paging.Answer(await batches.ListAsync(id, paging.Request, ct)).Select(BatchPredictionDto.From).ToList());

    private static async Task<IResult> GetAsync(Guid id, Guid batchId, BatchPredictionQueries batches, CancellationToken ct) =>
        Results.Ok(BatchPredictionDto.From(await batches.GetAsync(id, batchId, ct)));

    private static async Task<IResult> ResultsAsync(Guid id, Guid batchId, BatchPredictionQueries batches, CancellationToken ct)
    {
        var file = await batches.ResultsAsync(id, batchId, ct);
        return Results.File(file.Path!, file.ContentType, file.FileName);
    }
}
