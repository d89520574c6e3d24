using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Web.Components.Shared;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Web.Components.Pages.Endpoints;

/// <summary>What a model behind an endpoint reads: the Try it form, the sample requests and the list all follow it.</summary>
public enum EndpointInput { Images, Rows, Text }

/// <summary>An endpoint with the model version it serves, as the endpoint pages show it.</summary>
public sealed record EndpointSummary(ModelEndpoint Endpoint, string ModelName, ModelVersion Version, ModelCard Card)
{
    public EndpointInput Input => Card.Input is not null ? EndpointInput.Images
        : Card.Task == SearchTasks.TextClassification ? EndpointInput.Text
        : EndpointInput.Rows;

    public bool IsRegression => Card.Task == SearchTasks.TabularRegression;

    /// <summary>The columns a row must carry (tabular models only).</summary>
    public IReadOnlyList<string> Fields => Input == EndpointInput.Rows ? Card.Rows?.Fields ?? [] : [];

    public string Task => Card.Task switch
    {
        SearchTasks.ImageClassification => "Image classification",
        SearchTasks.TextClassification => "Text classification",
        SearchTasks.TabularRegression => "Predicting a number from a table row",
        _ => "Table row classification",
    };

    /// <summary>What to send, in words for someone who has not read the model card.</summary>
    public string Accepts => Input switch
    {
        EndpointInput.Images => $"{(Card.Input!.Channels == 1 ? "Grayscale" : "Colour")} images (PNG, JPEG, BMP, WebP or GIF), " +
                                $"resized to {Card.Input.Width}×{Card.Input.Height} pixels",
        EndpointInput.Text => "Texts",
        _ => $"Table rows with the column{(Fields.Count == 1 ? "" : "s")} {Formats.List(Fields)}",
    };

    public static async Task<EndpointSummary?> FindAsync(StudioDbContext db, Guid id, CancellationToken ct)
    {
        var endpoint = await db.Endpoints.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
        return endpoint is null ? null : await WithVersionAsync(db, endpoint, ct);
    }

    public static async Task<List<EndpointSummary>> ListAsync(StudioDbContext db, CancellationToken ct)
    {
        var endpoints = await db.Endpoints.AsNoTracking().ToListAsync(ct);
        var result = new List<EndpointSummary>(endpoints.Count);
        foreach (var endpoint in endpoints.OrderBy(e => e.Name, StringComparer.OrdinalIgnoreCase)) result.Add(await WithVersionAsync(db, endpoint, ct));
        return result;
    }

    private static async Task<EndpointSummary> WithVersionAsync(StudioDbContext db, ModelEndpoint endpoint, CancellationToken ct)
    {
        var version = await db.ModelVersions.AsNoTracking().Include(v => v.Model).SingleAsync(v => v.Id == endpoint.ModelVersionId, ct);
        return new EndpointSummary(endpoint, version.Model!.Name, version, ModelCard.FromJson(version.CardJson));
    }
}
