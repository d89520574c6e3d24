using Npgsql;

namespace AutoMLStudio.Tests.Shared;

/// <summary>
/// Drops a test's database on the local PostgreSQL server with no rights beyond the test role's own. Compiled into
/// each test project that makes such databases (linked, not referenced).
/// </summary>
public static class PostgresCleanup
{
    private const int Attempts = 5;

    /// <summary>
    /// Drops <paramref name="database"/>, or says why it could not: a clean-up that fails leaves one stray database
    /// behind and must not fail (or hide the outcome of) a test whose checks already ran.
    /// </summary>
    /// <param name="server">A connection string without a database, as the test role.</param>
    /// <param name="database">The database's name (one the test made: letters, digits and underscores).</param>
    /// <returns>Null when dropped (or already gone), else what went wrong, for the test's log.</returns>
    public static async Task<string?> DropAsync(string server, string database)
    {
        NpgsqlConnection.ClearAllPools();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection($"{server};Database=postgres;Pooling=false");
                await connection.OpenAsync();
                // WITH (FORCE) would end every session on the database, and PostgreSQL refuses (42501) when one belongs
                // to another role, an autovacuum worker or a superuser's psql, that the test role may not end. So end
                // only our own sessions; a plain DROP then stops autovacuum itself and waits up to 5 s for the rest.
                await using (var terminate = new NpgsqlCommand(
                                 "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity " +
                                 "WHERE datname = @name AND usename = current_user AND pid <> pg_backend_pid()", connection))
                {
                    terminate.Parameters.AddWithValue("name", database);
                    await terminate.ExecuteScalarAsync();
                }
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\"", connection);
                await drop.ExecuteNonQueryAsync();
                return null;
            }
            // 55006: still in use after those 5 s; 42501: kept for servers that answer it to a plain DROP too.
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.ObjectInUse or PostgresErrorCodes.InsufficientPrivilege && attempt < Attempts)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                return $"Could not drop the test database {database} after {attempt} attempt(s); it is left on the server: {e.Message}";
            }
        }
    }
}
