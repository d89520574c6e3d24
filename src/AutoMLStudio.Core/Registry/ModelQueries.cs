using System.Text.Json;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Engine.Metrics;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Registry;

/// <summary>A registered model with its versions, newest first.</summary>
public sealed record ModelView(Guid Id, string Name, DateTimeOffset CreatedAt, IReadOnlyList<ModelVersionView> Versions)
{
    public int LatestVersion => Versions.Count == 0 ? 0 : Versions.Max(v => v.Version);

    internal static ModelView From(RegisteredModel m) =>
        new(m.Id, m.Name, m.CreatedAt, [.. m.Versions.OrderByDescending(v => v.Version).Select(ModelVersionView.From)]);
}

/// <param name="Card">The model card as registered: the API answers it whole, so clients read every field it ever had.</param>
/// <param name="Summary">The few card fields the lists show, read leniently.</param>
public sealed record ModelVersionView(Guid Id, Guid ModelId, int Version, Guid TrialId, Guid SearchId, Guid DatasetId, string Task, ModelStage Stage,
    string WeightsSha256, string? OnnxSha256, string? CreatedBy, DateTimeOffset CreatedAt, JsonElement Card, ModelCardSummary Summary)
{
    /// <summary>Whether the version has an ONNX graph (versions registered before the studio exported ONNX have none).</summary>
    public bool HasOnnx => OnnxSha256 is not null;

    internal static ModelVersionView From(ModelVersion v)
    {
        using var card = JsonDocument.Parse(v.CardJson);
        return new(v.Id, v.ModelId, v.Version, v.TrialId, v.SearchId, v.DatasetId, v.Task.Name(), v.Stage, v.WeightsSha256, v.OnnxSha256, v.CreatedBy,
            v.CreatedAt, card.RootElement.Clone(), ModelCardSummary.Parse(v.CardJson));
    }
}

/// <summary>How a metric reads to people: its name and whether its values are shares (shown as percentages).</summary>
public sealed record MetricLabel(string Name, string DisplayName, bool IsFraction);

/// <summary>One version's page: the card read in full, who registered it and how its validation metric reads.</summary>
/// <param name="ValidationMetric">Null when the card names a metric the studio no longer knows.</param>
public sealed record ModelVersionDetail(string ModelName, ModelVersionView Version, ModelCard Card, string? RegisteredBy, MetricLabel? ValidationMetric);

/// <summary>What the models list, a version's page and the models API read.</summary>
public sealed class ModelQueries(StudioDbContext db)
{
    public async Task<Page<ModelView>> ListAsync(PageRequest page, CancellationToken ct)
    {
        var models = await db.Models.AsNoTracking().Include(m => m.Versions).OrderBy(m => m.Name).ThenBy(m => m.Id).PageAsync(page, ct);
        return new Page<ModelView>([.. models.Items.Select(ModelView.From)], models.Total);
    }

    public async Task<ModelView?> FindAsync(Guid id, CancellationToken ct) =>
        await db.Models.AsNoTracking().Include(m => m.Versions).SingleOrDefaultAsync(m => m.Id == id, ct) is { } model ? ModelView.From(model) : null;

    /// <exception cref="UserInputException">404 when there is no such model.</exception>
    public async Task<ModelView> GetAsync(Guid id, CancellationToken ct) => await FindAsync(id, ct) ?? throw UserInputException.NotFound("Model", id);

    /// <summary>The model's versions, newest first (none when there is no such model).</summary>
    public async Task<IReadOnlyList<ModelVersionView>> VersionsAsync(Guid modelId, CancellationToken ct) =>
        [.. (await db.ModelVersions.AsNoTracking().Where(v => v.ModelId == modelId).ToListAsync(ct)).OrderByDescending(v => v.Version).Select(ModelVersionView.From)];

    public async Task<ModelVersionDetail?> VersionAsync(Guid modelId, int number, CancellationToken ct)
    {
        var version = await db.ModelVersions.AsNoTracking().Include(v => v.Model).SingleOrDefaultAsync(v => v.ModelId == modelId && v.Version == number, ct);
        if (version is null) return null;
        var registeredBy = version.CreatedBy is { } id ? await db.Users.Where(u => u.Id == id).Select(u => u.UserName).SingleOrDefaultAsync(ct) : null;
        var card = ModelCard.FromJson(version.CardJson);
        var metric = MetricCatalog.Find(card.Metrics.Metric) is { } m ? new MetricLabel(m.Name, m.DisplayName, m.IsFraction) : null;
        return new ModelVersionDetail(version.Model!.Name, ModelVersionView.From(version), card, registeredBy, metric);
    }
}
