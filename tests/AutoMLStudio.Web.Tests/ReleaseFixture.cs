using System.Data.Common;
using System.Net.Http.Json;
using System.Text.Json;

namespace AutoMLStudio.Web.Tests;

/// <summary>What the fixtures under Fixtures/ hold (see Fixtures/README.md) and how a test reads them back.</summary>
internal static class ReleaseFixture
{
    public const string AdminKey = "ams_fixture_admin_key_0123456789abcdef";

    public static string SqlitePath => Path.Combine(AppContext.BaseDirectory, "Fixtures", "studio-1d2c801.db");

    public static string PostgresDump => Path.Combine(AppContext.BaseDirectory, "Fixtures", "postgres-1d2c801.sql");

    /// <summary>Loads the PostgreSQL dump into an empty database.</summary>
    public static async Task RestorePostgresAsync(string connectionString)
    {
        // psql's meta-commands (\restrict) are not SQL; everything else in a plain dump is. Its own pool: the dump empties
        // the session's search_path, which must not reach the studio's connections.
        var dump = string.Join('\n', (await File.ReadAllLinesAsync(PostgresDump)).Where(l => !l.StartsWith('\\')));
        await using var connection = new Npgsql.NpgsqlConnection($"{connectionString};Pooling=false");
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(dump, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Rows per table of the studio's own tables (migrations' bookkeeping left out).</summary>
    public static async Task<Dictionary<string, long>> CountRowsAsync(DbConnection connection, string tablesSql)
    {
        var tables = new List<string>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = tablesSql;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        var counts = new Dictionary<string, long>();
        foreach (var table in tables.Where(t => !t.StartsWith("__EFMigrations", StringComparison.Ordinal) && t != "sqlite_sequence"))
            counts[table] = await ScalarAsync<long>(connection, $"SELECT COUNT(*) FROM \"{table}\"");
        return counts;
    }

    public static async Task<T> ScalarAsync<T>(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The search, its trials with their epochs, the model and the endpoint, read back through the REST API.</summary>
    public static async Task AssertReadableAsync(HttpClient api, DbConnection connection)
    {
        var searchId = await ScalarAsync<string>(connection, Text(connection, "SELECT \"Id\" FROM \"Searches\""));
        var search = await api.GetFromJsonAsync<JsonElement>($"/api/v1/searches/{searchId}");
        Assert.Equal("completed", search.GetProperty("status").GetString());
        Assert.Equal(2, search.GetProperty("trialsCompleted").GetInt32());
        var trials = await api.GetFromJsonAsync<JsonElement>($"/api/v1/searches/{searchId}/trials");
        Assert.Equal(2, trials.GetArrayLength());
        Assert.All(trials.EnumerateArray(), t => Assert.Equal(2, t.GetProperty("epochs").GetArrayLength()));

        var modelId = await ScalarAsync<string>(connection, Text(connection, "SELECT \"Id\" FROM \"Models\""));
        var model = await api.GetFromJsonAsync<JsonElement>($"/api/v1/models/{modelId}");
        Assert.Equal("flowers-model", model.GetProperty("name").GetString());
        Assert.Equal(1, model.GetProperty("versions").GetArrayLength());

        var endpointId = await ScalarAsync<string>(connection, Text(connection, "SELECT \"Id\" FROM \"Endpoints\""));
        var endpoint = await api.GetFromJsonAsync<JsonElement>($"/api/v1/endpoints/{endpointId}");
        Assert.Equal("flowers-endpoint", endpoint.GetProperty("name").GetString());
        Assert.Equal("flowers-model", endpoint.GetProperty("modelName").GetString());

        var datasetId = await ScalarAsync<string>(connection, Text(connection, "SELECT \"Id\" FROM \"Datasets\""));
        var dataset = await api.GetFromJsonAsync<JsonElement>($"/api/v1/datasets/{datasetId}");
        Assert.Equal("ready", dataset.GetProperty("status").GetString());
        Assert.Equal(60, dataset.GetProperty("itemCount").GetInt32());

        // The release had no forced password change: its users must not meet one after the upgrade.
        Assert.Equal(0, await ScalarAsync<long>(connection, "SELECT COUNT(*) FROM \"AspNetUsers\" WHERE \"MustChangePassword\" = true"));
    }

    /// <summary>PostgreSQL keeps ids as uuid; read them as text.</summary>
    public static string Text(DbConnection connection, string sql) =>
        connection is Npgsql.NpgsqlConnection ? sql.Replace("SELECT \"Id\"", "SELECT \"Id\"::text", StringComparison.Ordinal) : sql;
}
