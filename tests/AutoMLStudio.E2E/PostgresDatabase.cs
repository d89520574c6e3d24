using AutoMLStudio.Tests.Shared;
using Npgsql;
using Xunit.Abstractions;

namespace AutoMLStudio.E2E;

/// <summary>
/// A fresh database on the local PostgreSQL server that the test command starts (scripts/test.sh installs Debian's
/// postgresql when missing and creates the role <c>amls</c>), dropped when the test ends.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    public const string Server = "Host=127.0.0.1;Port=5432;Username=amls;Password=amls";

    private readonly ITestOutputHelper? _log;

    private PostgresDatabase(string name, ITestOutputHelper? log) => (Name, _log) = (name, log);

    public string Name { get; }

    public string ConnectionString => $"{Server};Database={Name};Include Error Detail=true";

    /// <summary>Why PostgreSQL cannot be used here, or null when it can.</summary>
    public static async Task<string?> UnavailableAsync()
    {
        if (Environment.GetEnvironmentVariable("AMLS_NO_POSTGRES") is { Length: > 0 } why) return why;
        try
        {
            await using var connection = new NpgsqlConnection($"{Server};Database=postgres;Timeout=5;Pooling=false");
            await connection.OpenAsync();
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // The test command sets up the server; a missing one there is a failure, not a reason to skip.
            throw new InvalidOperationException($"PostgreSQL on 127.0.0.1:5432 (role amls) is not reachable: {e.Message}. Run scripts/test.sh, which starts it.", e);
        }
    }

    /// <param name="log">Where a failed clean-up is reported (it never fails the test).</param>
    public static async Task<PostgresDatabase> CreateAsync(ITestOutputHelper? log = null)
    {
        var database = new PostgresDatabase("amls_e2e_" + Guid.NewGuid().ToString("N")[..12], log);
        await database.ExecuteAsync($"CREATE DATABASE {database.Name}");
        return database;
    }

    /// <summary>Stops the local server (as root, with Debian's pg_ctlcluster), as an outage would.</summary>
    public static Task StopServerAsync() => ClusterAsync("stop");

    public static Task StartServerAsync() => ClusterAsync("start");

    private static async Task ClusterAsync(string action)
    {
        var version = Directory.GetDirectories("/etc/postgresql").Select(Path.GetFileName).OrderBy(v => double.Parse(v!)).Last();
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("pg_ctlcluster", [version!, "main", action])
            { RedirectStandardError = true, RedirectStandardOutput = true })!;
        await process.WaitForExitAsync();
        // Starting an already running cluster (and stopping a stopped one) exits 2: the state is what was asked for.
        if (process.ExitCode is not (0 or 2))
            throw new InvalidOperationException($"pg_ctlcluster {version} main {action} exited {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
    }

    // Unpooled: a test that stops the server (an outage) leaves pooled sessions that the next command finds terminated (57P01).
    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection($"{Server};Database=postgres;Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (await PostgresCleanup.DropAsync(Server, Name) is { } problem) _log?.WriteLine(problem);
    }
}
