using System.Security.Claims;
using AutoMLStudio.Core.Admin;
using AutoMLStudio.Core.Devices;
using AutoMLStudio.Web.Auth;

namespace AutoMLStudio.Web.Api;

public sealed record AdminActionDto(long Id, DateTimeOffset At, string? UserId, string UserName, string Action, string? TargetId, string? Details);

/// <summary>The whole system at once (every device of this node), and the audit log of what admins and owners did.</summary>
public static class AdminApi
{
    public static void MapAdminApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/admin").WithTags("Admin").RequireAuthorization(StudioPolicies.Admin);
        group.MapGet("/queue", async (DeviceActivity activity, CancellationToken ct) =>
                Results.Ok((await activity.WaitingAsync(ct)).Select(DeviceTrialDto.From).ToList()))
            .WithSummary("Queued trials of running searches, in the order they start on their device: higher priority first, then oldest first")
            .Produces<List<DeviceTrialDto>>();
        group.MapGet("/audit", AuditAsync).WithSummary("The audit log of admin actions, newest first")
            .Produces<List<AdminActionDto>>().Paged();
        group.MapPost("/pause", async (ControlDevices control, ClaimsPrincipal user, [AsParameters] DevicesApi.DeviceList list, CancellationToken ct) =>
            {
                await control.PauseAllAsync(user.FindFirstValue(ClaimTypes.NameIdentifier), ct);
                return Results.Ok(await list.DescribeAsync(ct));
            })
            .WithSummary("Pause every device: running trials go back to the queue at their next epoch, none start").Produces<List<DeviceDto>>();
        group.MapPost("/resume", async (ControlDevices control, ClaimsPrincipal user, [AsParameters] DevicesApi.DeviceList list, CancellationToken ct) =>
            {
                await control.ResumeAllAsync(user.FindFirstValue(ClaimTypes.NameIdentifier), ct);
                return Results.Ok(await list.DescribeAsync(ct));
            })
            .WithSummary("Resume every device, paused or draining; waiting trials start again").Produces<List<DeviceDto>>();
    }

    private static async Task<IResult> AuditAsync(AdminQueries admin, Paging page, CancellationToken ct) =>
        Results.Ok(page.Answer(await admin.AuditAsync(page.Request, ct))
            .Select(a => new AdminActionDto(a.Id, a.At, a.UserId, a.UserName, a.Action, a.TargetId, a.Details)).ToList());
}
