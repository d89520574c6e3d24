using System.Security.Claims;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Devices;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Web.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Web.Api;

public static class DevicesApi
{
    public static void MapDevicesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/devices").WithTags("Devices");
        group.MapGet("/", ListAsync).WithSummary("Compute devices of this node, their trial slots, how many are busy and their state (active, paused, draining)")
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

    private static async Task<IResult> ListAsync(StudioDevices devices, StudioDbContext db, IOptions<StudioOptions> options, CancellationToken ct) =>
        Results.Ok(await DescribeAsync(devices, db, options.Value, ct));

    /// <summary>The devices as they are now, for answers after an action.</summary>
    public sealed record DeviceList(StudioDevices Devices, StudioDbContext Db, IOptions<StudioOptions> Options)
    {
        public Task<List<DeviceDto>> DescribeAsync(CancellationToken ct) => DevicesApi.DescribeAsync(Devices, Db, Options.Value, ct);

        /// <summary>Runs a device action, then answers with that device as it is now.</summary>
        public async Task<IResult> AfterAsync(string id, Func<Task> action, CancellationToken ct)
        {
            await action();
            var all = await DescribeAsync(ct);
            return Results.Ok(all.Single(d => string.Equals(d.Id, id, StringComparison.OrdinalIgnoreCase)));
        }
    }

    public static async Task<List<DeviceDto>> DescribeAsync(StudioDevices devices, StudioDbContext db, StudioOptions options, CancellationToken ct)
    {
        var busy = await db.Trials.Where(t => t.Status == TrialStatus.Running).GroupBy(t => t.Search!.Queue)
            .Select(g => new { Queue = g.Key, Count = g.Count() }).ToListAsync(ct);
        var modes = await ControlDevices.ModesAsync(db, ct);
        return devices.All.Select(d => new DeviceDto(d.Id, d.Name, d.MemoryBytes,
            d.Queue == "cpu" ? options.Training.CpuSlotCount : 1,
            busy.FirstOrDefault(b => b.Queue == d.Queue)?.Count ?? 0, d.Queue,
            modes.GetValueOrDefault(d.Id, DeviceMode.Active).ToString().ToLowerInvariant())).ToList();
    }
}
