using AutoMLStudio.Core.Hosting;

namespace AutoMLStudio.Web.Jobs;

/// <summary>
/// Loads every endpoint's model when the web node starts, so the first prediction after a restart does not wait for
/// ONNX Runtime to build its session. A model that fails to load is logged; its requests then get the reason.
/// </summary>
public sealed class EndpointWarmup(IServiceScopeFactory scopes, HostedModels hosted, ILogger<EndpointWarmup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IReadOnlyList<Guid> endpoints;
        await using (var scope = scopes.CreateAsyncScope())
            endpoints = await scope.ServiceProvider.GetRequiredService<EndpointQueries>().IdsAsync(stoppingToken);
        foreach (var id in endpoints)
        {
            try
            {
                using var lease = await hosted.AcquireAsync(id, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Endpoint {EndpointId} could not be loaded at start", id);
            }
        }
        if (endpoints.Count > 0) logger.LogInformation("{Count} prediction endpoints loaded", endpoints.Count);
    }
}
