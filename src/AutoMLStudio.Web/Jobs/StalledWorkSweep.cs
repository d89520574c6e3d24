using AutoMLStudio.Core;
using AutoMLStudio.Core.Searches;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Web.Jobs;

/// <summary>Runs <see cref="StalledWork"/> every <see cref="TrainingOptions.StallCheckSeconds"/> while the node lives.</summary>
public sealed class StalledWorkSweep(IServiceScopeFactory scopes, IOptions<StudioOptions> options, ILogger<StalledWorkSweep> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.Training.StallCheckSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<StalledWork>().RecoverAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database being unreachable is what leaves work stalled; the next tick tries again.
                logger.LogWarning("Looking for stalled trials and searches failed ({Message}); trying again in {Seconds} s",
                    ex.Message, options.Value.Training.StallCheckSeconds);
            }
        }
    }
}
