using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Core.Searches.Pipelines;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Hosting;

/// <summary>What a model behind an endpoint reads: the Try it form, the sample requests and the list all follow it.</summary>
public enum EndpointInput { Images, Rows, Text }

/// <summary>An endpoint with the model version it serves, that version's stage and its card.</summary>
public sealed record EndpointView(Guid Id, string Name, Guid ModelId, string ModelName, Guid VersionId, int Version, ModelStage Stage, ModelCard Card,
    DateTimeOffset CreatedAt, DateTimeOffset? SwappedAt)
{
    public string PredictUrl => $"/api/v1/endpoints/{Id}/predict";

    public EndpointInput Input => TaskPipelines.TraitsOf(Card.Task).Instances;

    public bool IsRegression => SearchTasks.IsRegression(Card.Task);

    /// <summary>The columns a row must carry (tabular models only).</summary>
    public IReadOnlyList<string> Fields => Input == EndpointInput.Rows ? Card.Rows?.Fields ?? [] : [];
}

/// <summary>A key that calls one endpoint's predict route (never its secret).</summary>
public sealed record EndpointKeyView(Guid Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt,
    Guid? EndpointId, int? RequestsPerSecond);

/// <summary>What the endpoint pages, the endpoints API and the warm-up at start read.</summary>
public sealed class EndpointQueries(StudioDbContext db)
{
    public async Task<Page<EndpointView>> ListAsync(PageRequest page, CancellationToken ct)
    {
        var endpoints = await db.Endpoints.AsNoTracking().OrderBy(e => e.Name).ThenBy(e => e.Id).PageAsync(page, ct);
        var result = new List<EndpointView>(endpoints.Items.Count);
        foreach (var endpoint in endpoints.Items) result.Add(await WithVersionAsync(endpoint, ct));
        return new Page<EndpointView>(result, endpoints.Total);
    }

    public async Task<EndpointView?> FindAsync(Guid id, CancellationToken ct) =>
        await db.Endpoints.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct) is { } endpoint ? await WithVersionAsync(endpoint, ct) : null;

    /// <exception cref="UserInputException">404 when there is no such endpoint.</exception>
    public async Task<EndpointView> GetAsync(Guid id, CancellationToken ct) => await FindAsync(id, ct) ?? throw UserInputException.NotFound("Endpoint", id);

    /// <exception cref="UserInputException">404 when there is no such endpoint.</exception>
    public async Task EnsureExistsAsync(Guid id, CancellationToken ct)
    {
        if (!await db.Endpoints.AnyAsync(e => e.Id == id, ct)) throw UserInputException.NotFound("Endpoint", id);
    }

    public async Task<IReadOnlyList<Guid>> IdsAsync(CancellationToken ct) => await db.Endpoints.Select(e => e.Id).ToListAsync(ct);

    /// <summary>The endpoint's scoped API keys, newest first.</summary>
    /// <exception cref="UserInputException">404 when there is no such endpoint.</exception>
    public async Task<Page<EndpointKeyView>> KeysAsync(Guid id, PageRequest page, CancellationToken ct)
    {
        await EnsureExistsAsync(id, ct);
        return await db.ApiKeys.AsNoTracking().Where(k => k.EndpointId == id).OrderByDescending(k => k.CreatedAt).ThenBy(k => k.Id)
            .Select(k => new EndpointKeyView(k.Id, k.Name, k.Prefix, k.CreatedAt, k.LastUsedAt, k.RevokedAt, k.EndpointId, k.RequestsPerSecond))
            .PageAsync(page, ct);
    }

    private async Task<EndpointView> WithVersionAsync(ModelEndpoint e, CancellationToken ct)
    {
        var version = await db.ModelVersions.AsNoTracking().Include(v => v.Model).SingleAsync(v => v.Id == e.ModelVersionId, ct);
        return new EndpointView(e.Id, e.Name, e.ModelId, version.Model!.Name, version.Id, version.Version, version.Stage, ModelCard.FromJson(version.CardJson), e.CreatedAt,
            e.SwappedAt);
    }
}
