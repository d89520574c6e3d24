using AutoMLStudio.Tests.Shared;
using System.Net.Http.Json;
using System.Text.Json;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using Xunit.Abstractions;

namespace AutoMLStudio.Web.Tests;

/// <summary>
/// Issue 18 stored an unset maxTrials / maxEpochsPerTrial as 0, because the add-only upgrader could not make the old
/// NOT NULL columns nullable; a migration now makes them nullable and turns those zeros into NULL.
/// </summary>
public sealed class UnsetLimitsMigrationTests(ITestOutputHelper output)
{
    private const string Server = "Host=127.0.0.1;Port=5432;Username=amls;Password=amls";

    [Fact]
    public async Task Limits_stored_as_zero_for_not_set_become_null_in_nullable_columns()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "amls-fixture-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dataDir);
        var path = Path.Combine(dataDir, "studio.db");
        File.Copy(ReleaseFixture.SqlitePath, path);
        try
        {
            await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "UPDATE \"Searches\" SET \"MaxTrials\" = 0, \"MaxEpochsPerTrial\" = 0";
                Assert.Equal(1, await command.ExecuteNonQueryAsync());
            }

            await using (var app = StudioApp.On(dataDir))
            {
                var api = app.Api(ReleaseFixture.AdminKey);
                var searches = await api.GetFromJsonAsync<JsonElement>("/api/v1/searches");
                var budget = searches.EnumerateArray().Single().GetProperty("budget");
                Assert.Equal(JsonValueKind.Null, budget.GetProperty("maxTrials").ValueKind);
                Assert.Equal(JsonValueKind.Null, budget.GetProperty("maxEpochsPerTrial").ValueKind);
            }

            await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                await connection.OpenAsync();
                Assert.Equal(1L, await ReleaseFixture.ScalarAsync<long>(connection,
                    "SELECT COUNT(*) FROM \"Searches\" WHERE \"MaxTrials\" IS NULL AND \"MaxEpochsPerTrial\" IS NULL"));
                Assert.Equal(0L, await ReleaseFixture.ScalarAsync<long>(connection,
                    "SELECT SUM(\"notnull\") FROM pragma_table_info('Searches') WHERE name IN ('MaxTrials', 'MaxEpochsPerTrial')"));
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Going_back_to_the_first_migration_stores_unset_limits_as_zero_again_and_forward_as_null()
    {
        var path = Path.Combine(Path.GetTempPath(), $"amls-limits-{Guid.NewGuid():N}.db");
        File.Copy(ReleaseFixture.SqlitePath, path);
        try
        {
            var options = new DbContextOptionsBuilder<StudioDbContext>().UseSqlite($"Data Source={path};Pooling=False").Options;
            await using var db = new StudioDbContext(options);
            await db.Database.ExecuteSqlRawAsync("UPDATE \"Searches\" SET \"MaxTrials\" = 0");
            await db.InitializeDatabaseAsync();
            Assert.Null((await db.Searches.AsNoTracking().SingleAsync()).MaxTrials);

            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync(db.GetService<IMigrationsAssembly>().Migrations.Keys.First());
            Assert.Equal([0L], await db.Database.SqlQueryRaw<long>("SELECT \"MaxTrials\" AS \"Value\" FROM \"Searches\"").ToListAsync());
            await migrator.MigrateAsync();
            Assert.Null((await db.Searches.AsNoTracking().SingleAsync()).MaxTrials);
            Assert.Equal(2, (await db.Searches.AsNoTracking().SingleAsync()).MaxEpochsPerTrial);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" }) File.Delete(file);
        }
    }

    [Fact]
    public async Task On_postgres_limits_stored_as_zero_become_null_in_nullable_columns()
    {
        if (Environment.GetEnvironmentVariable("AMLS_NO_POSTGRES") is { Length: > 0 } why)
        {
            output.WriteLine($"SKIPPED: PostgreSQL is not available here: {why}");
            return;
        }
        var name = "amls_limits_" + Guid.NewGuid().ToString("N")[..12];
        var connectionString = $"{Server};Database={name}";
        await ExecuteAsync($"{Server};Database=postgres", $"CREATE DATABASE {name}");
        try
        {
            await ReleaseFixture.RestorePostgresAsync(connectionString);
            await ExecuteAsync(connectionString, "UPDATE \"Searches\" SET \"MaxTrials\" = 0, \"MaxEpochsPerTrial\" = 0");
            await using (var db = new StudioDbContext(new DbContextOptionsBuilder<StudioDbContext>().UseNpgsql(connectionString).Options))
            {
                await db.InitializeDatabaseAsync();
                var search = await db.Searches.AsNoTracking().SingleAsync();
                Assert.Null(search.MaxTrials);
                Assert.Null(search.MaxEpochsPerTrial);
            }
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            Assert.Equal(1L, await ReleaseFixture.ScalarAsync<long>(connection,
                "SELECT COUNT(*) FROM \"Searches\" WHERE \"MaxTrials\" IS NULL AND \"MaxEpochsPerTrial\" IS NULL"));
            Assert.Equal(2L, await ReleaseFixture.ScalarAsync<long>(connection,
                "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'Searches' AND column_name IN ('MaxTrials', 'MaxEpochsPerTrial') AND is_nullable = 'YES'"));
        }
        finally
        {
            // A clean-up that cannot drop (another role's session on the database) leaves it behind rather than fail the test.
            await PostgresCleanup.DropAsync(Server, name);
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
