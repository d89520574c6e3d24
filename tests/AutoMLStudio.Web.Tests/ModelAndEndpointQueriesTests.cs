using System.Net;
using System.Text.Json;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Devices;
using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Searches;
using Microsoft.Extensions.DependencyInjection;

namespace AutoMLStudio.Web.Tests;

/// <summary>
/// Core's read side for models, endpoints, their keys and batch predictions: what the pages and the API routes read,
/// on a real studio's database.
/// </summary>
[Collection(StudioCollection.Name)]
public sealed class ModelAndEndpointQueriesTests
{
    [Fact]
    public async Task Models_list_by_name_with_versions_newest_first_and_a_version_reads_its_card_registrar_and_metric()
    {
        await using var app = new StudioApp();
        var (zebra, _) = await SeedModelAsync(app, "zebra", versions: 1);
        var (alpha, _) = await SeedModelAsync(app, "alpha", versions: 3);

        using var scope = app.Services.CreateScope();
        var models = scope.ServiceProvider.GetRequiredService<ModelQueries>();
        var page = await models.ListAsync(new PageRequest(0, 1), CancellationToken.None);
        Assert.Equal(2, page.Total);
        var first = Assert.Single(page.Items);
        Assert.Equal(alpha, first.Id);
        Assert.Equal([3, 2, 1], first.Versions.Select(v => v.Version));
        Assert.Equal(3, first.LatestVersion);
        Assert.Equal(0.75, first.Versions[0].Summary.ValAccuracy);
        Assert.Equal(zebra, Assert.Single((await models.ListAsync(new PageRequest(1, 5), CancellationToken.None)).Items).Id);

        var detail = await models.VersionAsync(alpha, 2, CancellationToken.None);
        Assert.NotNull(detail);
        Assert.Equal("alpha", detail.ModelName);
        Assert.Equal(2, detail.Card.Version);
        Assert.Equal(StudioApp.AdminEmail, detail.RegisteredBy);
        Assert.Equal(new MetricLabel("accuracy", "accuracy", IsFraction: true), detail.ValidationMetric);
        Assert.Null(await models.VersionAsync(alpha, 4, CancellationToken.None));

        var missing = Guid.NewGuid();
        var problem = await Assert.ThrowsAsync<UserInputException>(() => models.GetAsync(missing, CancellationToken.None));
        Assert.Equal(404, problem.Status);
        Assert.Null(await models.FindAsync(missing, CancellationToken.None));
    }

    [Fact]
    public async Task The_models_api_answers_each_card_whole_as_it_was_registered()
    {
        await using var app = new StudioApp();
        var (model, _) = await SeedModelAsync(app, "kept", versions: 1, extraCardField: "\"fromAnOlderRelease\": {\"kept\": [1, 2]}");

        var versions = (await app.Api().GetJsonAsync($"/api/v1/models/{model}")).GetProperty("versions");
        var card = Assert.Single(versions.EnumerateArray()).GetProperty("card");
        Assert.Equal("[1,2]", card.GetProperty("fromAnOlderRelease").GetProperty("kept").GetRawText());
        Assert.Equal("kept", card.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Endpoints_read_the_version_they_serve_their_keys_newest_first_and_unknown_ids_are_404()
    {
        await using var app = new StudioApp();
        var (model, versions) = await SeedModelAsync(app, "served", versions: 2);
        var endpointId = Guid.NewGuid();
        await SeedAsync(app, db =>
        {
            db.Endpoints.Add(new ModelEndpoint { Id = endpointId, Name = "b-endpoint", ModelId = model, ModelVersionId = versions[1] });
            db.Endpoints.Add(new ModelEndpoint { Name = "a-endpoint", ModelId = model, ModelVersionId = versions[0] });
        });
        var api = app.Api();
        await api.PostJsonAsync($"/api/v1/endpoints/{endpointId}/keys", new { name = "older" }, HttpStatusCode.Created);
        await Task.Delay(20);
        await api.PostJsonAsync($"/api/v1/endpoints/{endpointId}/keys", new { name = "newer", requestsPerSecond = 5 }, HttpStatusCode.Created);

        using var scope = app.Services.CreateScope();
        var endpoints = scope.ServiceProvider.GetRequiredService<EndpointQueries>();
        var all = await endpoints.ListAsync(PageRequest.All, CancellationToken.None);
        Assert.Equal(["a-endpoint", "b-endpoint"], all.Items.Select(e => e.Name));
        var endpoint = await endpoints.GetAsync(endpointId, CancellationToken.None);
        Assert.Equal((2, "served", EndpointInput.Rows, false), (endpoint.Version, endpoint.ModelName, endpoint.Input, endpoint.IsRegression));
        Assert.Equal(["x", "y"], endpoint.Fields);
        Assert.Equal($"/api/v1/endpoints/{endpointId}/predict", endpoint.PredictUrl);
        Assert.Equal(2, (await endpoints.IdsAsync(CancellationToken.None)).Count);

        var keys = await endpoints.KeysAsync(endpointId, PageRequest.All, CancellationToken.None);
        Assert.Equal(["newer", "older"], keys.Items.Select(k => k.Name));
        Assert.Equal(5, keys.Items[0].RequestsPerSecond);
        Assert.All(keys.Items, k => Assert.Equal(endpointId, k.EndpointId));

        var unknown = Guid.NewGuid();
        Assert.Equal(404, (await Assert.ThrowsAsync<UserInputException>(() => endpoints.KeysAsync(unknown, PageRequest.All, CancellationToken.None))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<UserInputException>(() => endpoints.GetAsync(unknown, CancellationToken.None))).Status);
        Assert.Null(await endpoints.FindAsync(unknown, CancellationToken.None));
    }

    [Fact]
    public async Task Batches_list_newest_first_and_only_a_completed_batch_has_results()
    {
        await using var app = new StudioApp();
        var endpointId = Guid.NewGuid();
        var failed = new BatchPrediction { EndpointId = endpointId, FileName = "old.csv", InputPath = "none", Status = BatchStatus.Failed, Error = "bad",
            CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-5) };
        var done = new BatchPrediction { EndpointId = endpointId, FileName = "new.csv", InputPath = "none", ResultPath = "batches/new-results.csv",
            Status = BatchStatus.Completed, Done = 3, Total = 4 };
        await SeedAsync(app, db => db.BatchPredictions.AddRange(failed, done));

        using var scope = app.Services.CreateScope();
        var batches = scope.ServiceProvider.GetRequiredService<BatchPredictionQueries>();
        var page = await batches.ListAsync(endpointId, PageRequest.All, CancellationToken.None);
        Assert.Equal([done.Id, failed.Id], page.Items.Select(b => b.Id));
        Assert.Equal(75, page.Items[0].Percent);
        Assert.Equal($"/api/v1/endpoints/{endpointId}/batches/{done.Id}/results.csv", page.Items[0].ResultsUrl);
        Assert.Null(page.Items[1].ResultsUrl);

        var results = await batches.ResultsAsync(endpointId, done.Id, CancellationToken.None);
        Assert.Equal(("new-predictions.csv", "text/csv"), (results.FileName, results.ContentType));
        Assert.EndsWith(Path.Combine("batches", "new-results.csv"), results.Path);
        var notFinished = await Assert.ThrowsAsync<UserInputException>(() => batches.ResultsAsync(endpointId, failed.Id, CancellationToken.None));
        Assert.Equal((409, "Not finished"), (notFinished.Status, notFinished.Title));
        Assert.Equal(404, (await Assert.ThrowsAsync<UserInputException>(() => batches.GetAsync(Guid.NewGuid(), done.Id, CancellationToken.None))).Status);
    }

    [Fact]
    public async Task A_download_in_an_unknown_format_or_of_a_missing_version_is_refused_in_words()
    {
        await using var app = new StudioApp();
        var (model, _) = await SeedModelAsync(app, "downloads", versions: 1);

        using var scope = app.Services.CreateScope();
        var downloads = scope.ServiceProvider.GetRequiredService<ModelDownloads>();
        var format = await Assert.ThrowsAsync<UserInputException>(() => downloads.OpenAsync(model, "pickle", null, CancellationToken.None));
        Assert.Equal((400, "Unknown format"), (format.Status, format.Title));
        Assert.Contains("format=onnx", format.Detail);
        var version = await Assert.ThrowsAsync<UserInputException>(() => downloads.OpenAsync(model, "onnx", 7, CancellationToken.None));
        Assert.Equal((404, "Model 'downloads' has no version 7."), (version.Status, version.Detail));
        var noOnnx = await Assert.ThrowsAsync<UserInputException>(() => downloads.OpenAsync(model, "bundle", 1, CancellationToken.None));
        Assert.Equal(409, noOnnx.Status);
    }

    [Fact]
    public void The_node_serves_its_cpu_as_a_queue_with_the_configured_slots()
    {
        var studio = new StudioOptions { DataDir = Path.Combine(Path.GetTempPath(), "amls-nodecompute"), Training = { CpuSlots = 3 } };

        var devices = NodeCompute.DeviceQueues(studio);

        Assert.Contains(new DeviceQueue("cpu", 3), devices);
        Assert.All(devices, d => Assert.True(d.Slots >= 1));
        Assert.False(string.IsNullOrWhiteSpace(NodeCompute.LoadNative(studio)));
    }

    /// <returns>The model's id and its versions' ids, oldest first; the versions have no files (no ONNX).</returns>
    private static async Task<(Guid Model, List<Guid> Versions)> SeedModelAsync(StudioApp app, string name, int versions, string? extraCardField = null)
    {
        var model = new RegisteredModel { Name = name };
        await SeedAsync(app, db =>
        {
            var admin = db.Users.Single(u => u.Email == StudioApp.AdminEmail).Id;
            for (var number = 1; number <= versions; number++)
            {
                var card = new ModelCard(name, number, SearchTasks.TabularClassification, ["a", "b"], null, JsonDocument.Parse("{}").RootElement, 10, null,
                    new ModelMetrics("accuracy", 0.75, null, null), new ModelLineage(Guid.NewGuid(), null, Guid.NewGuid(), Guid.NewGuid(), 1, "test"),
                    Rows: new RowInput(["x", "y"], "as is"));
                var json = card.ToJson();
                if (extraCardField is not null) json = "{" + extraCardField + "," + json.TrimStart()[1..];
                model.Versions.Add(new ModelVersion
                {
                    ModelId = model.Id, Version = number, ArtifactFolder = "none", WeightsSha256 = "none", CardJson = json, Task = card.Task,
                    CreatedBy = admin, CreatedAt = DateTimeOffset.UtcNow.AddMinutes(number),
                });
            }
            db.Models.Add(model);
        });
        return (model.Id, [.. model.Versions.OrderBy(v => v.Version).Select(v => v.Id)]);
    }

    private static async Task SeedAsync(StudioApp app, Action<StudioDbContext> seed)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StudioDbContext>();
        seed(db);
        await db.SaveChangesAsync();
    }
}
