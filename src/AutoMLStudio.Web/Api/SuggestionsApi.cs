using System.Security.Claims;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Suggestions;
using AutoMLStudio.Web.Auth;

namespace AutoMLStudio.Web.Api;

/// <summary>Model-assisted labeling: a registered model suggests labels for the unlabeled pool and orders it; people confirm.</summary>
public sealed record SuggestFromSearchBody(string? Strategy, int? Seed);

public static class SuggestionsApi
{
    public static void MapSuggestionsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/datasets/{id:guid}/suggestions").WithTags("Labeling");
        group.MapPost("/", StartAsync).RequireAuthorization(StudioPolicies.Editor)
            .WithSummary("Let a registered model suggest labels for the unlabeled items and order them for labeling")
            .WithDescription("Body: {modelId, version?} or {endpointId}, optional strategy (margin (default): smallest gap between the top two "
                + "classes first; uncertainty: least confidence; badge: the first 200 drawn by k-means++ over each item's gap between its "
                + "probabilities and its top class, unsure and unlike each other, seeded; random) and seed. A background job runs the model through ONNX Runtime over "
                + "every unlabeled item, gives each a suggestedLabel with suggestedConfidence, and ranks the pool (suggestionRank, 0 first): "
                + "the first 200 are the least sure with a diversity term, so they are not near-copies, then the rest by uncertainty. "
                + "Suggestions are never labels: searches train on confirmed labels only. The model must be a classifier of the dataset's kind.")
            .Produces<SuggestionRunDto>(StatusCodes.Status202Accepted).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        group.MapGet("/", LatestAsync).WithSummary("The newest suggestion run of the dataset, with its progress")
            .Produces<SuggestionRunDto>().ProducesProblem(404);
        group.MapPost("/confirm", ConfirmAsync).RequireAuthorization(StudioPolicies.Editor)
            .WithSummary("Confirm the suggestions of some items: {\"itemIds\": [...]}; each becomes the item's label, saved as the caller's")
            .WithDescription("Items labeled meanwhile or without a suggestion are left alone; 'confirmed' counts the labels set.")
            .ProducesProblem(400).ProducesProblem(404);
        api.MapPost("/searches/{id:guid}/suggest-labels", async (Guid id, SuggestFromSearchBody? body, SuggestFromSearch suggest, ClaimsPrincipal user, CancellationToken ct) =>
            {
                var run = await suggest.HandleAsync(id, body?.Strategy, body?.Seed, user.FindFirstValue(ClaimTypes.NameIdentifier), ct);
                return Results.Accepted($"/api/v1/datasets/{run.DatasetId}/suggestions", SuggestionRunDto.From(SuggestionRunView.From(run)));
            })
            .RequireAuthorization(StudioPolicies.Editor).WithTags("Labeling")
            .WithSummary("One turn of the labeling loop: the search's best model suggests labels for its dataset's unlabeled items")
            .WithDescription("The best trial is registered first as the next version of '<dataset name> assistant' unless it already is a registered "
                + "version; then it runs as POST /datasets/{id}/suggestions does. Body: optional strategy and seed.")
            .Produces<SuggestionRunDto>(StatusCodes.Status202Accepted).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
    }

    private static async Task<IResult> StartAsync(Guid id, SuggestLabelsRequest? body, SuggestLabels suggest, ClaimsPrincipal user, CancellationToken ct)
    {
        var run = await suggest.HandleAsync(id, body ?? new SuggestLabelsRequest(), user.FindFirstValue(ClaimTypes.NameIdentifier), ct);
        return Results.Accepted($"/api/v1/datasets/{id}/suggestions", SuggestionRunDto.From(SuggestionRunView.From(run)));
    }

    private static async Task<IResult> LatestAsync(Guid id, SuggestionQueries suggestions, CancellationToken ct)
    {
        var run = await suggestions.LatestAsync(id, ct)
                  ?? throw new UserInputException("No suggestions yet", "No model has suggested labels for this dataset yet: POST to this address to start.", 404);
        return Results.Ok(SuggestionRunDto.From(run));
    }

    private static async Task<IResult> ConfirmAsync(Guid id, ConfirmSuggestionsBody? body, ConfirmSuggestions confirm, ClaimsPrincipal user, CancellationToken ct) =>
        Results.Ok(new { confirmed = await confirm.HandleAsync(id, body?.ItemIds ?? [], user.FindFirstValue(ClaimTypes.NameIdentifier), ct) });
}
