using AutoMLStudio.Core.Searches;

namespace AutoMLStudio.Web.Jobs;

/// <summary>Once the job servers run, hands back to the queue whatever the database says is unfinished.</summary>
public sealed class StartupReconciliation(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, ILogger<StartupReconciliation> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<Reconciliation>().RunAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Start-up reconciliation failed; unfinished work stays as it is until the next start");
        }
    }
}
