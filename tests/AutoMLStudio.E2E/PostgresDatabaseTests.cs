using System.Diagnostics;
using Npgsql;
using Xunit.Abstractions;

namespace AutoMLStudio.E2E;

/// <summary>
/// The clean-up every PostgreSQL test relies on. A session of another role on a test's database (an autovacuum worker,
/// an operator's psql) once made DROP DATABASE ... WITH (FORCE) answer 42501 and failed a test whose checks had passed.
/// </summary>
public sealed class PostgresDatabaseTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_test_database_is_dropped_even_while_a_session_of_another_role_is_on_it()
    {
        if (await PostgresDatabase.UnavailableAsync() is { } why)
        {
            output.WriteLine($"SKIPPED: PostgreSQL is not available here: {why}");
            return;
        }
        var database = await PostgresDatabase.CreateAsync(output);
        await using (var own = new NpgsqlConnection(database.ConnectionString)) await own.OpenAsync(); // back in the pool, still connected
        // The server's superuser, whose sessions the test role may not end, holds the database for three seconds.
        using var other = Process.Start(new ProcessStartInfo("runuser", ["-u", "postgres", "--", "psql", "-d", database.Name, "-c", "SELECT pg_sleep(3)"])
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
        await WaitForAsync(async () => await SessionsAsync(database.Name, "usename <> current_user") > 0);

        await database.DisposeAsync();

        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM pg_database WHERE datname = @name", database.Name));
        await other.WaitForExitAsync();
    }

    private static Task<long> SessionsAsync(string name, string condition) =>
        ScalarAsync($"SELECT count(*) FROM pg_stat_activity WHERE datname = @name AND {condition}", name);

    private static async Task<long> ScalarAsync(string sql, string name)
    {
        await using var connection = new NpgsqlConnection($"{PostgresDatabase.Server};Database=postgres;Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new("name", name) } };
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the other role's session never reached the database");
            await Task.Delay(50);
        }
    }
}
