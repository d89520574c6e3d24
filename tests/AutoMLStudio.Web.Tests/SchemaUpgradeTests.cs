using AutoMLStudio.Core;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Core.Identity;
using AutoMLStudio.Core.Registry;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Web.Tests;

/// <summary>A database from an earlier release is brought up to date in place, keeping its rows.</summary>
public sealed class SchemaUpgradeTests
{
    [Fact]
    public async Task Missing_tables_columns_and_indexes_are_added_and_existing_rows_survive()
    {
        var path = Path.Combine(Path.GetTempPath(), $"amls-upgrade-{Guid.NewGuid():N}.db");
        try
        {
            var options = new DbContextOptionsBuilder<StudioDbContext>().UseSqlite($"Data Source={path};Pooling=False").Options;
            await using (var db = new StudioDbContext(options))
            {
                await db.InitializeDatabaseAsync();
                var model = new RegisteredModel { Name = "before" };
                db.Models.Add(model);
                db.ModelVersions.Add(new ModelVersion { ModelId = model.Id, Version = 1, ArtifactFolder = "m/v1", WeightsSha256 = "ab", CardJson = "{}" });
                await db.SaveChangesAsync();
                // What the previous release's schema lacked.
                foreach (var sql in new[]
                         {
                             "DROP TABLE \"Endpoints\"", "DROP TABLE \"BatchPredictions\"", "DROP INDEX \"IX_ApiKeys_EndpointId\"",
                             "ALTER TABLE \"ApiKeys\" DROP COLUMN \"EndpointId\"", "ALTER TABLE \"ApiKeys\" DROP COLUMN \"RequestsPerSecond\"",
                             "ALTER TABLE \"ModelVersions\" DROP COLUMN \"Stage\"", "ALTER TABLE \"ModelVersions\" DROP COLUMN \"OnnxSha256\"",
                             "ALTER TABLE \"ModelVersions\" DROP COLUMN \"Task\"",
                         })
                    await db.Database.ExecuteSqlRawAsync(sql);
            }

            await using (var db = new StudioDbContext(options))
            {
                var applied = await db.InitializeDatabaseAsync();
                // 2 tables, 5 columns, and the indexes of the new tables and the new key column.
                Assert.Equal(10, applied.Count);
                Assert.Contains(applied, a => a.Contains("\"IX_ApiKeys_EndpointId\"", StringComparison.Ordinal));
                Assert.Empty(await db.InitializeDatabaseAsync());

                var version = await db.ModelVersions.SingleAsync();
                Assert.Equal(ModelStage.None, version.Stage);
                Assert.Null(version.OnnxSha256);
                Assert.Equal("", version.Task);
                db.Endpoints.Add(new ModelEndpoint { Name = "after", ModelId = version.ModelId, ModelVersionId = version.Id });
                db.BatchPredictions.Add(new BatchPrediction { FileName = "a.zip", InputPath = "x" });
                version.Stage = ModelStage.Production;
                await db.SaveChangesAsync();
                Assert.Equal(ModelStage.Production, (await db.ModelVersions.AsNoTracking().SingleAsync()).Stage);
                Assert.Equal(1, await db.Endpoints.CountAsync());
                Assert.Empty(await db.ApiKeys.Where(k => k.EndpointId != null).ToListAsync());
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" }) File.Delete(file);
        }
    }

    [Fact]
    public async Task Users_of_a_database_from_before_forced_password_changes_get_the_flag_off()
    {
        var path = Path.Combine(Path.GetTempPath(), $"amls-upgrade-{Guid.NewGuid():N}.db");
        try
        {
            var options = new DbContextOptionsBuilder<StudioDbContext>().UseSqlite($"Data Source={path};Pooling=False").Options;
            await using (var db = new StudioDbContext(options))
            {
                await db.InitializeDatabaseAsync();
                db.Users.Add(new StudioUser { UserName = "before@test.local", Email = "before@test.local" });
                await db.SaveChangesAsync();
                await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"AspNetUsers\" DROP COLUMN \"MustChangePassword\"");
            }

            await using (var db = new StudioDbContext(options))
            {
                var applied = Assert.Single(await db.InitializeDatabaseAsync());
                Assert.Contains("\"MustChangePassword\" INTEGER NOT NULL DEFAULT 0", applied);
                var flags = await db.Database.SqlQueryRaw<long>("SELECT \"MustChangePassword\" AS \"Value\" FROM \"AspNetUsers\"").ToListAsync();
                Assert.Equal([0L], flags);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" }) File.Delete(file);
        }
    }
}

/// <summary>The same upgrade on PostgreSQL (the local server scripts/test.sh starts), where nodes share one database.</summary>
public sealed class PostgresSchemaUpgradeTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Server = "Host=127.0.0.1;Port=5432;Username=amls;Password=amls";

    [Fact]
    public async Task A_postgres_database_of_an_earlier_release_gets_the_new_table_and_columns_and_keeps_its_rows()
    {
        if (Environment.GetEnvironmentVariable("AMLS_NO_POSTGRES") is { Length: > 0 } why)
        {
            output.WriteLine($"SKIPPED: PostgreSQL is not available here: {why}");
            return;
        }
        var name = "amls_upgrade_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync($"CREATE DATABASE {name}");
        try
        {
            var options = new DbContextOptionsBuilder<StudioDbContext>().UseNpgsql($"{Server};Database={name}").Options;
            await using (var db = new StudioDbContext(options))
            {
                Assert.Empty(await db.InitializeDatabaseAsync());
                db.AdminActions.Add(new Core.Admin.AdminAction { UserName = "before", Action = "system.paused" });
                await db.SaveChangesAsync();
                foreach (var sql in new[]
                         {
                             "DROP TABLE \"NodeDevices\"", "ALTER TABLE \"Trials\" DROP COLUMN \"Queue\"", "ALTER TABLE \"Trials\" DROP COLUMN \"MemoryBytes\"",
                             "ALTER TABLE \"Searches\" DROP COLUMN \"Priority\"", "ALTER TABLE \"AspNetUsers\" DROP COLUMN \"MaxConcurrentTrials\"",
                         })
                    await db.Database.ExecuteSqlRawAsync(sql);
            }

            await using (var db = new StudioDbContext(options))
            {
                var applied = await db.InitializeDatabaseAsync();
                Assert.Equal(5, applied.Count);
                Assert.Contains(applied, a => a.StartsWith("CREATE TABLE \"NodeDevices\"", StringComparison.Ordinal));
                Assert.Contains(applied, a => a.Contains("\"Priority\" integer NOT NULL DEFAULT 0", StringComparison.Ordinal));
                Assert.Empty(await db.InitializeDatabaseAsync());

                Assert.Equal("before", (await db.AdminActions.SingleAsync()).UserName);
                db.NodeDevices.Add(new Core.Devices.NodeDevice { NodeName = "n", DeviceId = "cpu", Queue = "cpu", Name = "CPU", Slots = 2, SeenAt = DateTimeOffset.UtcNow });
                await db.SaveChangesAsync();
                Assert.Equal(0, await db.Searches.CountAsync(s => s.Priority > 0));
            }
        }
        finally
        {
            if (await AutoMLStudio.Tests.Shared.PostgresCleanup.DropAsync(Server, name) is { } problem) output.WriteLine(problem);
        }
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection($"{Server};Database=postgres");
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
