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
}
