using AutoMLStudio.Tests.Shared;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Searches;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using Xunit.Abstractions;

namespace AutoMLStudio.Web.Tests;

/// <summary>
/// The JSON columns the code reads as objects are typed properties: the text the release before them wrote (the
/// 1d2c801 fixture) reads into them, and writes back as the very same text, so old and new rows have one shape.
/// </summary>
public sealed class TypedJsonColumnsTests(ITestOutputHelper output)
{
    private const string Server = "Host=127.0.0.1;Port=5432;Username=amls;Password=amls";

    [Fact]
    public async Task The_fixtures_json_columns_read_into_typed_properties_and_write_back_unchanged()
    {
        var path = Path.Combine(Path.GetTempPath(), $"amls-json-{Guid.NewGuid():N}.db");
        File.Copy(ReleaseFixture.SqlitePath, path);
        try
        {
            await using var db = new StudioDbContext(new DbContextOptionsBuilder<StudioDbContext>().UseSqlite($"Data Source={path};Pooling=False").Options);
            await db.InitializeDatabaseAsync();
            await AssertTypedAsync(db);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" }) File.Delete(file);
        }
    }

    [Fact]
    public async Task On_postgres_the_fixtures_json_columns_read_into_typed_properties_and_write_back_unchanged()
    {
        if (Environment.GetEnvironmentVariable("AMLS_NO_POSTGRES") is { Length: > 0 } why)
        {
            output.WriteLine($"SKIPPED: PostgreSQL is not available here: {why}");
            return;
        }
        var name = "amls_json_" + Guid.NewGuid().ToString("N")[..12];
        var connectionString = $"{Server};Database={name}";
        await using (var connection = new NpgsqlConnection($"{Server};Database=postgres"))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        try
        {
            await ReleaseFixture.RestorePostgresAsync(connectionString);
            await using var db = new StudioDbContext(new DbContextOptionsBuilder<StudioDbContext>().UseNpgsql(connectionString).Options);
            await db.InitializeDatabaseAsync();
            await AssertTypedAsync(db);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await PostgresCleanup.DropAsync(Server, name);
        }
    }

    private static async Task AssertTypedAsync(StudioDbContext db)
    {
        // The fixture predates end reasons: store one as a version that had them wrote it.
        await db.Database.ExecuteSqlRawAsync("UPDATE \"Searches\" SET \"EndReasonCode\" = 'nothing_fits'");
        var search = await db.Searches.AsNoTracking().SingleAsync();
        Assert.Equal(SearchEndReason.NothingFits, search.EndReasonCode);
        Assert.Equal(["setosa", "versicolor", "virginica"], search.Classes);
        Assert.Equal("accuracy", search.Objective.Metric);
        var test = Assert.IsType<Core.Searches.TestEvaluation>(search.TestEvaluation);
        Assert.Equal([[3, 0, 0], [1, 0, 2], [0, 0, 3]], test.ConfusionMatrix);
        Assert.Equal(9, test.Count);
        Assert.Equal(3, test.PerClass!.Count);
        var dataset = await db.Datasets.AsNoTracking().SingleAsync();
        Assert.Equal(DatasetTask.Classification, dataset.Task);
        Assert.Equal(["setosa", "versicolor", "virginica"], dataset.Labels);
        Assert.Equal(["sepal", "petal", "width", "species"], dataset.Columns!.Select(c => c.Name));
        Assert.Equal(60, dataset.Quality!.ItemCount);
        Assert.Empty(dataset.ImportIssues);
        var version = await db.DatasetVersions.AsNoTracking().SingleAsync();
        Assert.Equal([19, 21, 20], version.SplitCounts.Select(c => c.Train + c.Validation + c.Test));
        var trials = await db.Trials.AsNoTracking().OrderBy(t => t.Number).ToListAsync();
        Assert.All(trials, t => Assert.Equal(3, t.ValConfusion!.ClassCount));

        // Every typed JSON property, converted as EF writes it, gives back the stored text to the byte.
        var checkedColumns = 0;
        var rows = new List<object> { search, dataset, version };
        rows.AddRange(trials);
        foreach (var group in rows.GroupBy(r => r.GetType()))
        {
            var entity = db.Model.FindEntityType(group.Key)!;
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!);
            foreach (var property in entity.GetProperties().Where(p => p.GetColumnName(table)!.EndsWith("Json", StringComparison.Ordinal)
                                                                      && p.GetValueConverter() is not null))
            {
                var column = property.GetColumnName(table)!;
                // Names from the model, not input: nothing to inject.
                var sql = "SELECT \"" + column + "\" AS \"Value\" FROM \"" + table.Name + "\" WHERE \"" + column + "\" IS NOT NULL";
                var stored = await db.Database.SqlQueryRaw<string>(sql).ToListAsync();
                var written = group.Select(r => property.PropertyInfo!.GetValue(r)).Where(v => v is not null)
                    .Select(v => (string)property.GetValueConverter()!.ConvertToProvider(v)!).ToList();
                Assert.True(stored.Order(StringComparer.Ordinal).SequenceEqual(written.Order(StringComparer.Ordinal)),
                    $"{table.Name}.{column}: stored {string.Join(" | ", stored)}; written {string.Join(" | ", written)}");
                checkedColumns += stored.Count;
            }
        }
        // Objective, classes, test evaluation; issues, columns, quality, labels; split counts; two confusion matrices.
        Assert.Equal(10, checkedColumns);
        await AssertEnumsWriteBackAsync(db, search, dataset);
    }

    /// <summary>Every enum stored as its word (<see cref="WireNameConverter{T}"/>) writes back the word it was read from.</summary>
    private static async Task AssertEnumsWriteBackAsync(StudioDbContext db, Search search, Dataset dataset)
    {
        var words = new List<string>();
        foreach (var row in new object[] { search, dataset })
        {
            var entity = db.Model.FindEntityType(row.GetType())!;
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!);
            foreach (var property in entity.GetProperties().Where(p => p.GetValueConverter()?.GetType() is { IsGenericType: true } type
                                                                      && type.GetGenericTypeDefinition() == typeof(WireNameConverter<>)))
            {
                var column = property.GetColumnName(table)!;
                // Names from the model, not input: nothing to inject.
                var sql = "SELECT \"" + column + "\" AS \"Value\" FROM \"" + table.Name + "\"";
                var stored = await db.Database.SqlQueryRaw<string>(sql).SingleAsync();
                var written = (string)property.GetValueConverter()!.ConvertToProvider(property.PropertyInfo!.GetValue(row))!;
                Assert.Equal(stored, written);
                words.Add($"{table.Name}.{column}={written}");
            }
        }
        Assert.Equal(["Datasets.Task=classification", "Searches.Algorithm=random", "Searches.EndReasonCode=nothing_fits", "Searches.Scheduler=none",
            "Searches.Task=tabular_classification"], words.Order(StringComparer.Ordinal));
    }
}
