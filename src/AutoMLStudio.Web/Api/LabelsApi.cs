using System.Security.Claims;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Web.Auth;

namespace AutoMLStudio.Web.Api;

public sealed record BulkLabelBody(IReadOnlyList<Guid>? ItemIds, string? Label);

public sealed record NewLabelBody(string? Name);

public sealed record RenameLabelBody(string? From, string? To);

public sealed record MergeLabelsBody(IReadOnlyList<string>? From, string? Into);

public sealed record LabelSetDto(IReadOnlyList<string> Labels, int Changed);

/// <summary>Labeling many items at once and managing a dataset's label set.</summary>
public static class LabelsApi
{
    public static void MapLabelsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/datasets/{id:guid}/labels").WithTags("Labeling");

        group.MapGet("/", async (Guid id, LabelItems labels, CancellationToken ct) => Results.Ok(await labels.LabelsAsync(id, ct)))
            .WithSummary("The dataset's labels in labeling order (keys 1-9 pick the first nine)").ProducesProblem(404);

        group.MapPost("/", async (Guid id, NewLabelBody? body, LabelItems labels, ClaimsPrincipal user, CancellationToken ct) =>
                Results.Ok(new LabelSetDto(await labels.CreateLabelAsync(id, body?.Name, UserId(user), ct), 0)))
            .RequireAuthorization(StudioPolicies.Editor).WithSummary("Add a label to the label set").ProducesProblem(400).ProducesProblem(409);

        group.MapPost("/assign", async (Guid id, BulkLabelBody? body, LabelItems labels, ClaimsPrincipal user, CancellationToken ct) =>
            {
                var changed = await labels.AssignAsync(id, body?.ItemIds ?? [], body?.Label, UserId(user), ct);
                return Results.Ok(new LabelSetDto(await labels.LabelsAsync(id, ct), changed));
            })
            .RequireAuthorization(StudioPolicies.Editor).WithSummary("Give many items one label (null clears it)").ProducesProblem(400).ProducesProblem(404);

        group.MapPost("/rename", async (Guid id, RenameLabelBody? body, LabelItems labels, ClaimsPrincipal user, CancellationToken ct) =>
            {
                var changed = await labels.RenameAsync(id, body?.From, body?.To, UserId(user), ct);
                return Results.Ok(new LabelSetDto(await labels.LabelsAsync(id, ct), changed));
            })
            .RequireAuthorization(StudioPolicies.Editor).WithSummary("Rename a label on every item (onto an existing label: merge)")
            .ProducesProblem(400).ProducesProblem(404);

        group.MapPost("/merge", async (Guid id, MergeLabelsBody? body, LabelItems labels, ClaimsPrincipal user, CancellationToken ct) =>
            {
                var changed = await labels.MergeAsync(id, body?.From ?? [], body?.Into, UserId(user), ct);
                return Results.Ok(new LabelSetDto(await labels.LabelsAsync(id, ct), changed));
            })
            .RequireAuthorization(StudioPolicies.Editor).WithSummary("Merge labels into one").ProducesProblem(400).ProducesProblem(404);

        group.MapDelete("/{label}", async (Guid id, string label, LabelItems labels, ClaimsPrincipal user, CancellationToken ct) =>
            {
                var changed = await labels.DeleteLabelAsync(id, label, UserId(user), ct);
                return Results.Ok(new LabelSetDto(await labels.LabelsAsync(id, ct), changed));
            })
            .RequireAuthorization(StudioPolicies.Editor).WithSummary("Delete a label; its items become unlabeled").ProducesProblem(404);
    }

    private static string? UserId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);
}
