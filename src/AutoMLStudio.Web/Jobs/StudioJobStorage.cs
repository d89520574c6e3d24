using AutoMLStudio.Core;
using Hangfire;
using Hangfire.PostgreSql;

namespace AutoMLStudio.Web.Jobs;

public static class StudioJobStorage
{
    /// <summary>
    /// Hangfire's storage for the studio's storage mode: in memory on one machine (no Hangfire storage for SQLite exists
    /// here, and run state is in the database anyway), or PostgreSQL, shared by the web node and every worker, in its own
    /// schema beside the app's tables.
    /// </summary>
    public static IGlobalConfiguration UseStudioStorage(this IGlobalConfiguration hangfire, StudioOptions studio) =>
        studio.UsesPostgres
            ? hangfire.UsePostgreSqlStorage(c => c.UseNpgsqlConnection(studio.ConnectionString), new PostgreSqlStorageOptions
            {
                SchemaName = "hangfire",
                PrepareSchemaIfNecessary = true,
                // Workers poll for jobs; half a second keeps a queued trial from idling for the default 15 s.
                QueuePollInterval = TimeSpan.FromMilliseconds(500),
                // A job a dead worker had fetched returns to the queue after this; by then the trial's lease (renewed every
                // epoch by a live worker) has expired too, so another worker takes the trial over from its checkpoint.
                // While its worker lives, a redelivered job finds the lease held and does nothing.
                InvisibilityTimeout = TimeSpan.FromSeconds(studio.Training.LeaseSeconds + 20),
            })
            : hangfire.UseInMemoryStorage();
}
