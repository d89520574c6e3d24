using AutoMLStudio.Core.Devices;

namespace AutoMLStudio.Web.Jobs;

/// <summary>Runs <see cref="DeviceHeartbeat"/> on a node that serves devices, from start to a clean stop.</summary>
public sealed class DeviceHeartbeatService(IServiceScopeFactory scopes, ILogger<DeviceHeartbeatService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(DeviceHeartbeat.Interval);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<DeviceHeartbeat>().BeatAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be away for a while (a PostgreSQL restart); the next beat tries again.
                logger.LogWarning(ex, "Device heartbeat failed; trying again in {Interval}", DeviceHeartbeat.Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false) is var _ && !stoppingToken.IsCancellationRequested);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DeviceHeartbeat>().LeaveAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not withdraw this node's devices; they age out in {LiveFor}", DeviceHeartbeat.LiveFor);
        }
    }
}
