using AutoMLStudio.Tests.Shared;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Engine.Metrics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit.Abstractions;

namespace AutoMLStudio.Web.Tests;

/// <summary>
/// Task, algorithm and scheduler are enums stored as the words they were stored as when they were strings, and rows
/// stored before a column existed ("" or NULL) get, once, by a migration, the value the code used to assume for them.
/// </summary>
public sealed class StoredBeforeValuesMigrationTests(ITestOutputHelper output)
{
    private const string Server = "Host=127.0.0.1;Port=5432;Username=amls;Password=amls";

    // What the add-only upgrade left in rows older than the columns: "" in NOT NULL strings, no limit and no plan.
    private const string Blank = "UPDATE \"Searches\" SET \"Task\" = '', \"Algorithm\" = '', \"Scheduler\" = '', \"Metric\" = '', "
                                 + "\"MaxTrials\" = 0, \"MaxEpochsPerTrial\" = 0";
    private const string BlankModel = "UPDATE \"ModelVersions\" SET \"Task\" = ''";

    [Fact]
    public async Task Searches_and_models_stored_before_tasks_strategies_objectives_and_plans_read_as_the_code_assumed()
    {
        var path = Path.Combine(Path.GetTempPath(), $"amls-stored-before-{Guid.NewGuid():N}.db");
        File.Copy(ReleaseFixture.SqlitePath, path);
        try
        {
            await using var db = new StudioDbContext(new DbContextOptionsBuilder<StudioDbContext>().UseSqlite($"Data Source={path};Pooling=False").Options);
            Assert.Equal(1, await db.Database.ExecuteSqlRawAsync(Blank));
            Assert.Equal(1, await db.Database.ExecuteSqlRawAsync(BlankModel));
            await db.InitializeDatabaseAsync();
            await AssertFilledInAsync(db);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" }) File.Delete(file);
        }
    }

    [Fact]
    public async Task On_postgres_searches_and_models_stored_before_read_as_the_code_assumed()
    {
        if (Environment.GetEnvironmentVariable("AMLS_NO_POSTGRES") is { Length: > 0 } why)
        {
            output.WriteLine($"SKIPPED: PostgreSQL is not available here: {why}");
            return;
        }
        var name = "amls_before_" + Guid.NewGuid().ToString("N")[..12];
        var connectionString = $"{Server};Database={name}";
        await ExecuteAsync($"{Server};Database=postgres", $"CREATE DATABASE {name}");
        try
        {
            await ReleaseFixture.RestorePostgresAsync(connectionString);
            Assert.Equal(1, await ExecuteAsync(connectionString, Blank));
            Assert.Equal(1, await ExecuteAsync(connectionString, BlankModel));
            await using var db = new StudioDbContext(new DbContextOptionsBuilder<StudioDbContext>().UseNpgsql(connectionString).Options);
            await db.InitializeDatabaseAsync();
            await AssertFilledInAsync(db);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await PostgresCleanup.DropAsync(Server, name);
        }
    }

    [Fact]
    public async Task A_test_evaluation_stored_before_objectives_reads_with_its_per_class_scores_from_its_confusion_matrix()
    {
        var path = Path.Combine(Path.GetTempPath(), $"amls-test-eval-{Guid.NewGuid():N}.db");
        File.Copy(ReleaseFixture.SqlitePath, path);
        try
        {
            await using var db = new StudioDbContext(new DbContextOptionsBuilder<StudioDbContext>().UseSqlite($"Data Source={path};Pooling=False").Options);
            await db.InitializeDatabaseAsync();
            Assert.Equal(1, await db.Database.ExecuteSqlRawAsync("UPDATE \"Searches\" SET \"TestEvaluationJson\" = " +
                "'{{\"accuracy\":0.75,\"loss\":0.5,\"classes\":[\"a\",\"b\"],\"confusionMatrix\":[[1,1],[0,2]],\"count\":4}}'"));
            var test = (await db.Searches.AsNoTracking().SingleAsync()).TestEvaluation!;
            Assert.Equal(("accuracy", 0.75), (test.Metric, test.MetricValue));
            Assert.Equal(["a", "b"], test.PerClass!.Select(c => c.Name));
            Assert.Equal((0.5, 1.0 / 1.5), (test.PerClass![0].Recall, test.PerClass[0].F1));
            Assert.Equal((2.0 / 3 + 0.8) / 2, test.MacroF1!.Value, 1e-9);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" }) File.Delete(file);
        }
    }

    [Fact]
    public async Task Task_algorithm_and_scheduler_are_stored_and_carded_as_the_same_words_as_before()
    {
        var path = Path.Combine(Path.GetTempPath(), $"amls-words-{Guid.NewGuid():N}.db");
        try
        {
            await using var db = new StudioDbContext(new DbContextOptionsBuilder<StudioDbContext>().UseSqlite($"Data Source={path};Pooling=False").Options);
            await db.InitializeDatabaseAsync();
            var search = new Search { Task = SearchTask.TabularRegression, Algorithm = SearchAlgorithm.Tpe, Scheduler = SearchScheduler.Asha, MaxMinutes = 1 };
            db.Searches.Add(search);
            await db.SaveChangesAsync();
            var stored = await db.Database.SqlQueryRaw<string>(
                "SELECT \"Task\" || ' ' || \"Algorithm\" || ' ' || \"Scheduler\" AS \"Value\" FROM \"Searches\"").SingleAsync();
            Assert.Equal("tabular_regression tpe asha", stored);

            await db.Database.ExecuteSqlRawAsync("UPDATE \"Searches\" SET \"Task\" = 'text_classification', \"Algorithm\" = 'evolution', \"Scheduler\" = 'median'");
            var read = await db.Searches.AsNoTracking().SingleAsync();
            Assert.Equal((SearchTask.TextClassification, SearchAlgorithm.Evolution, SearchScheduler.Median), (read.Task, read.Algorithm, read.Scheduler));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" }) File.Delete(file);
        }

        // Model cards are served and downloaded as stored: the task stays the word it was.
        string cardJson;
        await using (var fixture = new SqliteConnection($"Data Source={ReleaseFixture.SqlitePath};Mode=ReadOnly;Pooling=False"))
        {
            await fixture.OpenAsync();
            cardJson = await ReleaseFixture.ScalarAsync<string>(fixture, "SELECT \"CardJson\" FROM \"ModelVersions\"");
        }
        var card = ModelCard.FromJson(cardJson);
        Assert.Equal(SearchTask.TabularClassification, card.Task);
        Assert.Contains("\"task\": \"tabular_classification\"", cardJson, StringComparison.Ordinal);
        Assert.Contains("\"task\": \"tabular_classification\"", card.ToJson(), StringComparison.Ordinal);
        Assert.Equal(["image_classification", "tabular_classification", "tabular_regression", "text_classification"], SearchTasks.All);
    }

    private static async Task AssertFilledInAsync(StudioDbContext db)
    {
        var search = await db.Searches.AsNoTracking().SingleAsync();
        Assert.Equal(SearchTask.ImageClassification, search.Task);
        Assert.Equal(SearchAlgorithm.Random, search.Algorithm);
        Assert.Equal(SearchScheduler.None, search.Scheduler);
        Assert.Equal(MetricCatalog.Accuracy, search.MetricDefinition());
        Assert.Equal(5, search.EpochsPerTrial());
        Assert.Equal(20, search.ExpectedTrials([]));
        Assert.Equal(SearchTask.ImageClassification, (await db.ModelVersions.AsNoTracking().SingleAsync()).Task);
    }

    private static async Task<int> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }
}
