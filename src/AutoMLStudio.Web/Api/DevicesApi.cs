using System.Security.Claims;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Devices;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Web.Auth;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Web.Api;

public static class DevicesApi
{
    public static void MapDevicesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/devices").WithTags("Devices");
        group.MapGet("/", ListAsync).WithSummary("Compute devices of every live node: slots, memory, utilization, the trials running on each and how many wait, and their state (active, paused, draining)")
            .Produces<List<DeviceDto>>();
        group.MapPost("/{id}/pause", (string id, ControlDevices control, ClaimsPrincipal user, [AsParameters] DeviceList answer, CancellationToken ct) =>
                answer.AfterAsync(id, () => control.PauseAsync(id, user.FindFirstValue(ClaimTypes.NameIdentifier), ct), ct))
            .RequireAuthorization(StudioPolicies.Admin).WithSummary("Pause a device: running trials go back to the queue at their next epoch, none start")
            .Produces<DeviceDto>().ProducesProblem(404);
        group.MapPost("/{id}/drain", (string id, ControlDevices control, ClaimsPrincipal user, [AsParameters] DeviceList answer, CancellationToken ct) =>
                answer.AfterAsync(id, () => control.DrainAsync(id, user.FindFirstValue(ClaimTypes.NameIdentifier), ct), ct))
            .RequireAuthorization(StudioPolicies.Admin).WithSummary("Drain a device: running trials finish, no new ones start until it is resumed")
            .Produces<DeviceDto>().ProducesProblem(404);
        group.MapPost("/{id}/resume", (string id, ControlDevices control, ClaimsPrincipal user, [AsParameters] DeviceList answer, CancellationToken ct) =>
                answer.AfterAsync(id, () => control.ResumeAsync(id, user.FindFirstValue(ClaimTypes.NameIdentifier), ct), ct))
            .RequireAuthorization(StudioPolicies.Admin).WithSummary("Resume a paused or draining device; waiting trials start again")
            .Produces<DeviceDto>().ProducesProblem(404);
    }

    private static async Task<IResult> ListAsync([AsParameters] DeviceList list, CancellationToken ct) => Results.Ok(await list.DescribeAsync(ct));

    /// <summary>The devices as they are now, for answers after an action.</summary>
    public sealed record DeviceList(DeviceActivity Activity)
    {
        public async Task<List<DeviceDto>> DescribeAsync(CancellationToken ct) =>
            [.. (await Activity.DevicesAsync(ct)).Select(r => new DeviceDto(r.Device.DeviceId, r.Device.Name, r.Device.MemoryBytes, r.Device.Slots,
                r.Running.Count, r.Device.Queue, r.Mode.ToString().ToLowerInvariant(), r.Device.NodeName, r.Device.FreeMemoryBytes,
                r.Device.UtilizationPercent, r.Waiting, [.. r.Running.Select(DeviceTrialDto.From)], r.Device.SeenAt))];

        /// <summary>Runs a device action, then answers with that device as it is now (on the first node that has it).</summary>
        public async Task<IResult> AfterAsync(string id, Func<Task> action, CancellationToken ct)
        {
            await action();
            var all = await DescribeAsync(ct);
            return Results.Ok(all.First(d => string.Equals(d.Id, id, StringComparison.OrdinalIgnoreCase)));
        }
    }
}
