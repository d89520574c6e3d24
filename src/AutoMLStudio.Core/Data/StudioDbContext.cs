using System.Text.Json;
using AutoMLStudio.Core.Admin;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Devices;
using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Core.Identity;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Searches;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using AutoMLStudio.Core.Data.Migrations;

namespace AutoMLStudio.Core.Data;

public sealed class StudioDbContext(DbContextOptions<StudioDbContext> options) : IdentityDbContext<StudioUser>(options)
{
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Dataset> Datasets => Set<Dataset>();
    public DbSet<DatasetItem> DatasetItems => Set<DatasetItem>();
    public DbSet<DatasetVersion> DatasetVersions => Set<DatasetVersion>();
    public DbSet<DatasetVersionItem> DatasetVersionItems => Set<DatasetVersionItem>();
    public DbSet<Search> Searches => Set<Search>();
    public DbSet<Trial> Trials => Set<Trial>();
    public DbSet<EpochMetric> EpochMetrics => Set<EpochMetric>();
    public DbSet<RegisteredModel> Models => Set<RegisteredModel>();
    public DbSet<ModelVersion> ModelVersions => Set<ModelVersion>();
    public DbSet<ModelEndpoint> Endpoints => Set<ModelEndpoint>();
    public DbSet<BatchPrediction> BatchPredictions => Set<BatchPrediction>();
    public DbSet<AdminAction> AdminActions => Set<AdminAction>();
    public DbSet<DeviceState> DeviceStates => Set<DeviceState>();
    public DbSet<NodeDevice> NodeDevices => Set<NodeDevice>();
    public DbSet<Suggestions.LabelSuggestionRun> LabelSuggestionRuns => Set<Suggestions.LabelSuggestionRun>();
    public DbSet<Backbones.PretrainedBackbone> PretrainedBackbones => Set<Backbones.PretrainedBackbone>();

    // Both providers' migrations live in Core; this picks the set of the provider in use, however the options were built.
    protected override void OnConfiguring(DbContextOptionsBuilder options) =>
        options.ReplaceService<IMigrationsAssembly, ProviderMigrations>();

    // Stored as the words they were stored as when they were strings, so the data and the API did not change.
    protected override void ConfigureConventions(ModelConfigurationBuilder c)
    {
        c.Properties<SearchTask>().HaveConversion<WireNameConverter<SearchTask>>();
        c.Properties<SearchAlgorithm>().HaveConversion<WireNameConverter<SearchAlgorithm>>();
        c.Properties<SearchScheduler>().HaveConversion<WireNameConverter<SearchScheduler>>();
        c.Properties<SearchEndReason>().HaveConversion<WireNameConverter<SearchEndReason>>();
        c.Properties<DatasetTask>().HaveConversion<WireNameConverter<DatasetTask>>();
    }

    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);

        b.Entity<ApiKey>(e =>
        {
            e.HasIndex(k => k.Prefix);
            e.HasIndex(k => k.EndpointId);
        });

        b.Entity<Dataset>(e =>
        {
            e.Property(d => d.Kind).HasConversion<string>();
            e.Property(d => d.Status).HasConversion<string>();
            e.Property(d => d.ImportIssues).HasJson("ImportIssuesJson");
            e.Property(d => d.Columns).HasJson("ColumnsJson");
            e.Property(d => d.Quality).HasJson("QualityJson", JsonSerializerOptions.Web);
            e.Property(d => d.Labels).HasJson("LabelsJson");
            e.HasMany(d => d.Items).WithOne().HasForeignKey(i => i.DatasetId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<DatasetItem>(e =>
        {
            e.HasIndex(i => new { i.DatasetId, i.Label });
            e.HasIndex(i => new { i.DatasetId, i.ContentHash });
            e.Property(i => i.Revision).IsConcurrencyToken();
        });
        b.Entity<DatasetVersion>(e =>
        {
            e.HasIndex(v => new { v.DatasetId, v.Number }).IsUnique();
            e.Property(v => v.SplitCounts).HasJson("SplitCountsJson", JsonSerializerOptions.Web);
            e.HasMany(v => v.Items).WithOne().HasForeignKey(i => i.VersionId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<DatasetVersionItem>(e =>
        {
            e.HasIndex(i => new { i.VersionId, i.ItemId }).IsUnique();
            e.Property(i => i.Split).HasConversion<byte>();
        });

        b.Entity<Search>(e =>
        {
            e.Property(s => s.Status).HasConversion<string>();
            // The options each column was written with before it was typed, so stored rows read back and new ones match.
            e.Property(s => s.Objective).HasJson("ObjectiveJson", JsonSerializerOptions.Web);
            e.Property(s => s.Classes).HasJson("ClassesJson");
            e.Property(s => s.InputStats).HasJson("InputStatsJson", JsonSerializerOptions.Web);
            e.Property(s => s.TestEvaluation).HasJson("TestEvaluationJson", JsonSerializerOptions.Web, t => TestEvaluation.CompletedBeforeObjectives(t!));
            e.Property(s => s.FinalRetrain).HasJson("FinalRetrainJson", JsonSerializerOptions.Web);
            e.HasMany(s => s.Trials).WithOne(t => t.Search).HasForeignKey(t => t.SearchId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(s => s.Status);
        });
        b.Entity<Trial>(e =>
        {
            e.Property(t => t.Status).HasConversion<string>();
            e.Property(t => t.ValConfusion).HasJson("ValConfusionJson");
            // One row per trial number: two coordinators racing to propose the same trial cannot both succeed.
            e.HasIndex(t => new { t.SearchId, t.Number }).IsUnique();
            e.HasMany(t => t.Epochs).WithOne().HasForeignKey(m => m.TrialId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<EpochMetric>().HasIndex(m => new { m.TrialId, m.Epoch }).IsUnique();

        b.Entity<AdminAction>(e =>
        {
            e.Property(a => a.UserName).HasMaxLength(256);
            e.Property(a => a.Action).HasMaxLength(64);
        });
        b.Entity<DeviceState>(e =>
        {
            e.HasKey(d => d.DeviceId);
            e.Property(d => d.Mode).HasConversion<string>();
        });
        b.Entity<NodeDevice>().HasKey(d => new { d.NodeName, d.DeviceId });
        b.Entity<Backbones.PretrainedBackbone>().HasKey(p => p.Architecture);
        b.Entity<Suggestions.LabelSuggestionRun>(e =>
        {
            e.Property(r => r.Status).HasConversion<string>();
            e.HasIndex(r => new { r.DatasetId, r.CreatedAt });
        });

        b.Entity<RegisteredModel>(e =>
        {
            e.HasIndex(m => m.Name).IsUnique();
            e.HasMany(m => m.Versions).WithOne(v => v.Model).HasForeignKey(v => v.ModelId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<ModelVersion>(e =>
        {
            e.HasIndex(v => new { v.ModelId, v.Version }).IsUnique();
            e.Property(v => v.Stage).HasConversion<string>();
        });
        b.Entity<ModelEndpoint>().HasIndex(e => e.Name).IsUnique();
        b.Entity<BatchPrediction>(e =>
        {
            e.HasIndex(x => x.EndpointId);
            e.Property(x => x.Status).HasConversion<string>();
        });

        // SQLite cannot order or compare DateTimeOffset; store UTC ticks so queries on time work.
        foreach (var entity in b.Model.GetEntityTypes())
        foreach (var property in entity.GetProperties())
        {
            if (property.ClrType == typeof(DateTimeOffset))
                property.SetValueConverter(new Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter());
            else if (property.ClrType == typeof(DateTimeOffset?))
                property.SetValueConverter(new Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter());
        }
    }
}
