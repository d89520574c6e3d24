using Microsoft.Extensions.DependencyInjection;

namespace AutoMLStudio.Core.Data;

public static class StudioDatabase
{
    /// <summary>Brings the database to the schema this release needs (in a scope of its own); returns what was changed, for the log.</summary>
    public static async Task<IReadOnlyList<string>> InitializeStudioDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<StudioDbContext>().InitializeDatabaseAsync(ct);
    }
}
