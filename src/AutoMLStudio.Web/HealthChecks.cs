using AutoMLStudio.Core.Data;
using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AutoMLStudio.Web;

public sealed class DatabaseHealthCheck(DatabaseStatus database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        await database.CanConnectAsync(ct) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The database cannot be reached.");
}

public sealed class JobServerHealthCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var servers = storage.GetMonitoringApi().Servers();
        return Task.FromResult(servers.Count > 0
            ? HealthCheckResult.Healthy($"{servers.Count} job server(s)")
            : HealthCheckResult.Unhealthy("No job server is running."));
    }
}
