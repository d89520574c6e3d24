using AutoMLStudio.Core;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Devices;
using AutoMLStudio.Core.Searches;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Web.Api;

public static class DevicesApi
{
    public static void MapDevicesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/devices", ListAsync).WithTags("Devices").WithSummary("Compute devices of this node, their trial slots and how many are busy");
    }

    private static async Task<IResult> ListAsync(StudioDevices devices, StudioDbContext db, IOptions<StudioOptions> options, CancellationToken ct)
    {
        var busy = await db.Trials.Where(t => t.Status == TrialStatus.Running).GroupBy(t => t.Search!.Queue)
            .Select(g => new { Queue = g.Key, Count = g.Count() }).ToListAsync(ct);
        return Results.Ok(devices.All.Select(d => new DeviceDto(d.Id, d.Name, d.MemoryBytes,
            d.Queue == "cpu" ? options.Value.Training.CpuSlotCount : 1,
            busy.FirstOrDefault(b => b.Queue == d.Queue)?.Count ?? 0, d.Queue)).ToList());
    }
}
