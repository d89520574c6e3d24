using AutoMLStudio.Core;
using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Web.Auth;

namespace AutoMLStudio.Web.Api;

public sealed record EndpointTotalsDto(long Requests, long Errors, double ErrorRate, long Predictions, double? P50Ms, double? P95Ms, double? P99Ms);

public sealed record EndpointMinuteDto(DateTimeOffset Minute, long Requests, long Errors, double? P50Ms, double? P95Ms, double? P99Ms,
    IReadOnlyDictionary<string, long> Classes);

public sealed record EndpointMonitoringDto(Guid EndpointId, int Minutes, EndpointTotalsDto Totals, IReadOnlyList<EndpointMinuteDto> PerMinute, ClassDrift Drift);

public sealed record LowConfidenceDto(Guid Id, DateTimeOffset At, string Label, double Score, string Name, string Kind, string? Instance);

public sealed record SendToDatasetBody(IReadOnlyList<Guid>? Ids);

/// <summary>What an endpoint has been doing, and the inputs it was unsure of.</summary>
public static class EndpointMonitoringApi
{
    public static void MapEndpointMonitoringApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/endpoints/{id:guid}").WithTags("Endpoints");
        group.MapGet("/monitoring", MonitoringAsync)
            .WithSummary("Requests, errors and latency percentiles per minute over the last minutes (default 60, at most 1440), and the predicted " +
                         "classes against the test split's with a drift alert")
            .Produces<EndpointMonitoringDto>().ProducesProblem(400).ProducesProblem(404);
        group.MapGet("/low-confidence", LowConfidenceAsync)
            .WithSummary("The latest inputs whose top probability was under Hosting:LowConfidence, newest first")
            .Produces<List<LowConfidenceDto>>().ProducesProblem(404);
        group.MapGet("/low-confidence/{inputId:guid}/image", ImageAsync)
            .WithSummary("A low-confidence input's image as it was sent, typed by the format it decodes as (not by the name it was sent under)")
            .Produces(200, typeof(void), "image/png", "image/jpeg", "image/webp", "image/gif", "image/bmp").ProducesProblem(404);
        group.MapPost("/low-confidence/send", SendAsync).RequireAuthorization(StudioPolicies.Editor)
            .WithSummary("Add low-confidence inputs to the unlabeled pool of the dataset the model was trained on")
            .Produces<SendToDataset.Result>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
    }

    private static async Task<IResult> MonitoringAsync(Guid id, int? minutes, EndpointQueries endpoints, EndpointMonitor monitor, CancellationToken ct)
    {
        var span = minutes ?? 60;
        if (span is < 1 or > EndpointMonitor.KeptMinutes)
            throw new UserInputException("Minutes out of range", $"minutes must be between 1 and {EndpointMonitor.KeptMinutes}.");
        var card = (await endpoints.GetAsync(id, ct)).Card;
        var total = monitor.Total(id, span);
        var perMinute = monitor.Minutes(id, span).Select(m => new EndpointMinuteDto(m.Minute, m.Requests, m.Errors, m.P50Ms, m.P95Ms, m.P99Ms, m.Classes)).ToList();
        var drift = ClassDrift.For(card, total.Classes);
        return Results.Ok(new EndpointMonitoringDto(id, span,
            new EndpointTotalsDto(total.Requests, total.Errors, total.Requests == 0 ? 0 : (double)total.Errors / total.Requests, total.Predictions,
                total.P50Ms, total.P95Ms, total.P99Ms), perMinute, drift));
    }

    private static async Task<IResult> LowConfidenceAsync(Guid id, EndpointQueries endpoints, EndpointMonitor monitor, CancellationToken ct)
    {
        await endpoints.EnsureExistsAsync(id, ct);
        return Results.Ok(monitor.LowConfidence(id)
            .Select(i => new LowConfidenceDto(i.Id, i.At, i.Label, i.Score, i.Name, i.Image is null ? "instance" : "image", i.Instance)).ToList());
    }

    private static async Task<IResult> ImageAsync(
        Guid id, Guid inputId, EndpointQueries endpoints, EndpointMonitor monitor, HttpResponse response, CancellationToken ct)
    {
        await endpoints.EnsureExistsAsync(id, ct);
        var input = monitor.LowConfidence(id).SingleOrDefault(i => i.Id == inputId && i.Image is not null)
                    ?? throw UserInputException.NotFound("Low-confidence image", inputId);
        return ImageResults.Bytes(response, input.Image!, inputId);
    }

    private static async Task<IResult> SendAsync(Guid id, SendToDatasetBody? body, SendToDataset send, CancellationToken ct) =>
        Results.Ok(await send.HandleAsync(id, body?.Ids ?? [], ct));
}
