using AutoMLStudio.Tests.Shared;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Npgsql;
using Xunit.Abstractions;

namespace AutoMLStudio.Web.Tests;

/// <summary>
/// A studio installed before migrations (its database made by EnsureCreated plus the add-only upgrader, the fixture of
/// commit 1d2c801) is upgraded in place by the migrations at start, and keeps every row.
/// </summary>
public sealed class MigrationUpgradeTests
{
    private const string SqliteTables = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";

    [Fact]
    public async Task A_sqlite_database_of_the_release_before_migrations_is_migrated_at_start_and_loses_nothing()
    {
        var dataDir = CopyFixture();
        try
        {
            var before = await WithSqliteAsync(dataDir, c => ReleaseFixture.CountRowsAsync(c, SqliteTables));
            await using (var app = StudioApp.On(dataDir))
            {
                var api = app.Api(ReleaseFixture.AdminKey);
                await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "studio.db")};Pooling=False");
                await connection.OpenAsync();
                await ReleaseFixture.AssertReadableAsync(api, connection);
            }

            var after = await WithSqliteAsync(dataDir, c => ReleaseFixture.CountRowsAsync(c, SqliteTables));
            foreach (var (table, rows) in before) Assert.True(after[table] == rows, $"{table}: {rows} rows before, {after[table]} after");
            var history = await WithSqliteAsync(dataDir, c => ReleaseFixture.ScalarAsync<long>(c, "SELECT COUNT(*) FROM \"__EFMigrationsHistory\""));
            Assert.Equal(MigrationCount("Sqlite"), history);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Migrate_only_applies_the_migrations_and_exits_without_serving()
    {
        var dataDir = CopyFixture();
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { WebDll(), "--migrate-only", "--urls", "http://127.0.0.1:0" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment = { ["Studio__DataDir"] = dataDir, ["Studio__Training__ServeDevices"] = "false" },
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("--migrate-only was still running after 90 s: it serves instead of exiting.");
            }
            Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await output}{await errors}");
            Assert.Contains("Database upgraded", await output, StringComparison.Ordinal);
            var history = await WithSqliteAsync(dataDir, c => ReleaseFixture.ScalarAsync<long>(c, "SELECT COUNT(*) FROM \"__EFMigrationsHistory\""));
            Assert.Equal(MigrationCount("Sqlite"), history);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static string CopyFixture()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "amls-fixture-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dataDir);
        File.Copy(ReleaseFixture.SqlitePath, Path.Combine(dataDir, "studio.db"));
        return dataDir;
    }

    internal static async Task<T> WithSqliteAsync<T>(string dataDir, Func<SqliteConnection, Task<T>> read)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "studio.db")};Pooling=False");
        await connection.OpenAsync();
        return await read(connection);
    }

    /// <summary>The migrations this build ships for a provider (Sqlite or Postgres).</summary>
    internal static int MigrationCount(string provider) => typeof(Core.Data.StudioDbContext).Assembly.GetTypes()
        .Count(t => t.Namespace == $"AutoMLStudio.Core.Data.Migrations.{provider}" && t.IsSubclassOf(typeof(Microsoft.EntityFrameworkCore.Migrations.Migration)));

    private static string WebDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AutoMLStudio.sln"))) dir = dir.Parent;
        var configuration = AppContext.BaseDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
        var bin = Path.Combine(dir!.FullName, "src", "AutoMLStudio.Web", "bin", configuration);
        return Directory.EnumerateFiles(bin, "AutoMLStudio.Web.dll", SearchOption.AllDirectories).First();
    }
}

/// <summary>The same upgrade on PostgreSQL (the local server scripts/test.sh starts), from a pg_dump the old release made.</summary>
public sealed class PostgresMigrationUpgradeTests(ITestOutputHelper output)
{
    private const string Server = "Host=127.0.0.1;Port=5432;Username=amls;Password=amls";
    private const string Tables = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name";

    [Fact]
    public async Task A_postgres_database_of_the_release_before_migrations_is_migrated_at_start_and_loses_nothing()
    {
        if (Environment.GetEnvironmentVariable("AMLS_NO_POSTGRES") is { Length: > 0 } why)
        {
            output.WriteLine($"SKIPPED: PostgreSQL is not available here: {why}");
            return;
        }
        var name = "amls_fixture_" + Guid.NewGuid().ToString("N")[..12];
        var connectionString = $"{Server};Database={name}";
        var dataDir = Path.Combine(Path.GetTempPath(), "amls-fixture-" + Guid.NewGuid().ToString("N")[..12]);
        await ExecuteAsync($"{Server};Database=postgres", $"CREATE DATABASE {name}");
        try
        {
            await ReleaseFixture.RestorePostgresAsync(connectionString);
            Dictionary<string, long> before;
            await using (var connection = new NpgsqlConnection(connectionString))
            {
                await connection.OpenAsync();
                before = await ReleaseFixture.CountRowsAsync(connection, Tables);
            }

            await using (var studio = StudioApp.On(dataDir))
            await using (var app = studio.WithWebHostBuilder(b => b
                             .UseSetting("Studio:Database", "postgres").UseSetting("Studio:ConnectionString", connectionString)))
            {
                var api = app.CreateClient();
                api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ReleaseFixture.AdminKey);
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                await ReleaseFixture.AssertReadableAsync(api, connection);
            }

            await using (var connection = new NpgsqlConnection(connectionString))
            {
                await connection.OpenAsync();
                var after = await ReleaseFixture.CountRowsAsync(connection, Tables);
                foreach (var (table, rows) in before) Assert.True(after[table] == rows, $"{table}: {rows} rows before, {after[table]} after");
                Assert.Equal(MigrationUpgradeTests.MigrationCount("Postgres"),
                    await ReleaseFixture.ScalarAsync<long>(connection, "SELECT COUNT(*) FROM \"__EFMigrationsHistory\""));
            }
        }
        finally
        {
            // A clean-up that cannot drop (another role's session on the database) leaves it behind rather than fail the test.
            await PostgresCleanup.DropAsync(Server, name);
            if (Directory.Exists(dataDir)) Directory.Delete(dataDir, recursive: true);
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
