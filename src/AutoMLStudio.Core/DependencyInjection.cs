using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Data.Migrations;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Devices;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Core;

public static class DependencyInjection
{
    public static IHostApplicationBuilder AddStudioCore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StudioOptions>().BindConfiguration(StudioOptions.Section).ValidateDataAnnotations()
            .Validate(o => !o.UsesPostgres || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Studio:Database is postgres but Studio:ConnectionString is empty: give the PostgreSQL connection string.")
            .ValidateOnStart();

        builder.Services.AddDbContext<StudioDbContext>((sp, db) =>
        {
            var studio = sp.GetRequiredService<IOptions<StudioOptions>>().Value;
            Directory.CreateDirectory(Path.GetFullPath(studio.DataDir));
            if (studio.UsesPostgres)
            {
                // No retrying execution strategy: use cases open their own transactions, which it refuses; a job that
                // meets a lost connection fails and Hangfire's few quick retries run it again from its row.
                db.UseNpgsql(studio.ConnectionString);
                return;
            }
            // A busy timeout lets a writer wait for another instead of failing with "database is locked".
            db.UseSqlite(string.IsNullOrWhiteSpace(studio.ConnectionString)
                ? $"Data Source={studio.DatabasePath};Default Timeout=30"
                : studio.ConnectionString);
        });

        builder.Services.AddScoped<DatabaseStatus>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IArtifactStore>(sp =>
            new FolderArtifactStore(Path.Combine(sp.GetRequiredService<IOptions<StudioOptions>>().Value.DataDir, "artifacts")));
        builder.Services.AddSingleton<StudioDevices>();
        builder.Services.AddSingleton<SearchDataStore>();
        builder.Services.AddSingleton<TestPredictionStore>();
        builder.Services.AddSingleton<RunningTrials>();
        builder.Services.AddSingleton<FinishingSearches>();
        builder.Services.AddSingleton<CandidateProposals>();

        builder.Services.AddScoped<UploadDataset>();
        builder.Services.AddScoped<ImportServerFolder>();
        builder.Services.AddScoped<ChangeDatasetSchema>();
        builder.Services.AddScoped<CancelDatasetImport>();
        builder.Services.AddScoped<DatasetImportJob>();
        builder.Services.AddScoped<LabelItems>();
        builder.Services.AddScoped<ComputeQuality>();
        builder.Services.AddScoped<DatasetQualityJob>();
        builder.Services.AddScoped<RequestQualityReport>();
        builder.Services.AddScoped<CreateDatasetVersion>();
        builder.Services.AddScoped<ExportDatasetVersion>();
        builder.Services.AddScoped<DatasetQueries>();
        builder.Services.AddScoped<StartSearch>();
        builder.Services.AddScoped<BudgetPlan>();
        builder.Services.AddScoped<RefineSearch>();
        builder.Services.AddScoped<FinalRetrain>();
        builder.Services.AddScoped<ControlSearch>();
        builder.Services.AddScoped<Admin.RecordAdminAction>();
        builder.Services.AddScoped<Admin.AdminQueries>();
        builder.Services.AddScoped<ControlDevices>();
        builder.Services.AddScoped<DeviceInventory>();
        builder.Services.AddScoped<DeviceActivity>();
        builder.Services.AddScoped<Identity.SetTrialLimit>();
        builder.Services.AddScoped<Suggestions.SuggestLabels>();
        builder.Services.AddScoped<Suggestions.SuggestLabelsJob>();
        builder.Services.AddScoped<Suggestions.ConfirmSuggestions>();
        builder.Services.AddScoped<Suggestions.SuggestFromSearch>();
        builder.Services.AddScoped<Suggestions.SuggestionQueries>();
        builder.Services.AddScoped<Backbones.ImportBackbone>();
        builder.Services.AddScoped<Backbones.BackboneQueries>();
        builder.Services.AddScoped<DeviceHeartbeat>();
        builder.Services.AddScoped<TrialAdmission>();
        builder.Services.AddScoped<MisclassifiedExamples>();
        builder.Services.AddScoped<CompareTrials>();
        builder.Services.AddScoped<SearchQueries>();
        builder.Services.AddScoped<SearchStepJob>();
        builder.Services.AddScoped<TrialJob>();
        builder.Services.AddTransient<TrialLease>();
        builder.Services.AddScoped<EpochRecording>();
        builder.Services.AddScoped<TrialScheduling>();
        builder.Services.AddSingleton<RowSearchDataStore>();
        builder.Services.AddScoped<RowTrials>();
        builder.Services.AddScoped<EnsembleTrials>();
        builder.Services.AddScoped<Searches.Pipelines.ImagePipeline>();
        builder.Services.AddScoped<Searches.Pipelines.RowPipeline>();
        builder.Services.AddScoped<Searches.Pipelines.TaskPipelines>();
        builder.Services.AddScoped<SearchProgress>();
        builder.Services.AddScoped<Leaderboards.Leaderboard>();
        builder.Services.AddScoped<Reconciliation>();
        builder.Services.AddScoped<StalledWork>();
        builder.Services.AddScoped<RegisterModel>();
        builder.Services.AddScoped<UpdateModelVersion>();
        builder.Services.AddScoped<ModelQueries>();
        builder.Services.AddScoped<ModelDownloads>();

        builder.Services.AddOptions<Hosting.HostingOptions>().BindConfiguration(Hosting.HostingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<Identity.ApiKeyCache>();
        builder.Services.AddScoped<Identity.RevokeApiKey>();
        builder.Services.AddScoped<Identity.DefaultCredentials>();
        builder.Services.AddScoped<Identity.CreateApiKey>();
        builder.Services.AddScoped<Identity.RecordApiKeyUse>();
        builder.Services.AddScoped<Identity.ApiKeyQueries>();
        builder.Services.AddSingleton<Hosting.HostedModels>();
        builder.Services.AddSingleton<Hosting.EndpointMonitor>();
        builder.Services.AddScoped<Hosting.DeployModel>();
        builder.Services.AddSingleton<Hosting.MonitoredPredictions>();
        builder.Services.AddScoped<Hosting.SendToDataset>();
        builder.Services.AddScoped<Hosting.StartBatchPrediction>();
        builder.Services.AddScoped<Hosting.BatchPredictionJob>();
        builder.Services.AddScoped<Hosting.EndpointQueries>();
        builder.Services.AddScoped<Hosting.BatchPredictionQueries>();
        return builder;
    }

    /// <summary>
    /// Applies the migrations the database lacks (after baselining a database from before migrations) and switches
    /// SQLite to write-ahead logging; returns what was changed, for the log.
    /// </summary>
    public static async Task<IReadOnlyList<string>> InitializeDatabaseAsync(this StudioDbContext db, CancellationToken ct = default)
    {
        await db.Database.OpenConnectionAsync(ct);
        var postgres = db.Database.IsNpgsql();
        try
        {
            // Nodes that start together would each migrate; a session-level advisory lock lets one at a time through, and
            // the next finds nothing left to do.
            if (postgres) await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(72431)", ct);
            var changes = new List<string>(await LegacyBaseline.ApplyAsync(db, ct));
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            await db.Database.MigrateAsync(ct);
            changes.AddRange(pending.Select(m => $"migration {m}"));
            if (!postgres) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            return changes;
        }
        finally
        {
            if (postgres) await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(72431)", CancellationToken.None);
            await db.Database.CloseConnectionAsync();
        }
    }
}
