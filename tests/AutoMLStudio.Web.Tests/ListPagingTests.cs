using System.Net;
using System.Text;
using System.Text.Json;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Searches;
using Microsoft.Extensions.DependencyInjection;

namespace AutoMLStudio.Web.Tests;

/// <summary>
/// Every list route answers one page (skip, take: default 100, at most 500) with the total in X-Total-Count, and keeps
/// its shape, a JSON array. Each test has a studio of its own, so the totals are known.
/// </summary>
[Collection(StudioCollection.Name)]
public sealed class ListPagingTests
{
    private static readonly Dictionary<string, string> Labelled = new() { ["labelColumn"] = "label" };

    [Fact]
    public async Task Datasets_list_one_page_newest_first_with_the_total_in_X_Total_Count()
    {
        await using var app = new StudioApp();
        var api = app.Api();
        var ids = new List<string>();
        foreach (var name in new[] { "first", "second", "third" })
        {
            var csv = Encoding.UTF8.GetBytes("label,x\na,1\nb,2\na,3\n");
            ids.Add((await api.ImportFileAsync(csv, $"{name}.csv", name, Labelled)).GetProperty("id").GetString()!);
        }

        var (firstTwo, total) = await PageAsync(api, "/api/v1/datasets?take=2");
        Assert.Equal(3, total);
        Assert.Equal([ids[2], ids[1]], Ids(firstTwo));
        var (rest, _) = await PageAsync(api, "/api/v1/datasets?skip=2&take=2");
        Assert.Equal([ids[0]], Ids(rest));
        var (past, pastTotal) = await PageAsync(api, "/api/v1/datasets?skip=10");
        Assert.Equal(0, past.GetArrayLength());
        Assert.Equal(3, pastTotal);

        await SeedAsync(app, db =>
        {
            for (var i = 0; i < 101; i++)
                db.Datasets.Add(new Dataset { Name = $"old {i}", Kind = DatasetKind.Tabular, Status = DatasetStatus.Ready, CreatedAt = DateTimeOffset.UtcNow.AddDays(-1) });
        });
        var (byDefault, all) = await PageAsync(api, "/api/v1/datasets");
        Assert.Equal(104, all);
        Assert.Equal(100, byDefault.GetArrayLength());
        Assert.Equal(ids[2], Ids(byDefault)[0]);
        var (most, _) = await PageAsync(api, "/api/v1/datasets?take=500");
        Assert.Equal(104, most.GetArrayLength());
    }

    [Fact]
    public async Task Every_list_route_pages_counts_and_refuses_a_page_over_500()
    {
        await using var app = new StudioApp();
        var api = app.Api();
        var dataset = await api.ImportFileAsync(Encoding.UTF8.GetBytes("label,x\n" + string.Concat(Enumerable.Range(0, 20).Select(i => $"{(i % 2 == 0 ? "a" : "b")},{i}\n"))), "rows.csv", "rows", Labelled);
        var datasetId = dataset.GetProperty("id").GetString()!;
        for (var seed = 1; seed <= 3; seed++)
            await api.PostJsonAsync($"/api/v1/datasets/{datasetId}/versions", new { seed }, HttpStatusCode.Created);
        for (var i = 0; i < 3; i++)
        {
            await api.PostJsonAsync("/api/v1/apikeys", new { name = $"key {i}" }, HttpStatusCode.Created);
            await api.PostJsonAsync("/api/v1/users", new { email = $"person{i}@test.local", password = "Test-Passw0rd", role = "Expert" }, HttpStatusCode.Created);
        }
        var endpointId = Guid.NewGuid();
        await SeedAsync(app, db =>
        {
            var card = new ModelCard("seeded", 1, SearchTasks.TabularClassification, ["a", "b"], null, JsonDocument.Parse("{}").RootElement, 10, null,
                new ModelMetrics("accuracy", 0.5, null, null), new ModelLineage(Guid.Parse(datasetId), null, Guid.NewGuid(), Guid.NewGuid(), 1, "test"));
            for (var i = 0; i < 3; i++)
            {
                var at = DateTimeOffset.UtcNow.AddMinutes(i);
                db.Datasets.Add(new Dataset { Name = $"seeded {i}", Kind = DatasetKind.Tabular, Status = DatasetStatus.Ready, CreatedAt = at });
                db.Searches.Add(new Search { DatasetId = Guid.Parse(datasetId), Status = SearchStatus.Failed, Error = "seeded", CreatedAt = at });
                var model = new RegisteredModel { Name = $"model {i}" };
                var version = new ModelVersion
                {
                    ModelId = model.Id, Version = 1, ArtifactFolder = "none", WeightsSha256 = "none", CardJson = card.ToJson(), Task = card.Task,
                };
                model.Versions.Add(version);
                db.Models.Add(model);
                db.Endpoints.Add(new ModelEndpoint { Id = i == 0 ? endpointId : Guid.NewGuid(), Name = $"endpoint {i}", ModelId = model.Id, ModelVersionId = version.Id });
                db.BatchPredictions.Add(new BatchPrediction
                {
                    EndpointId = endpointId, FileName = $"batch{i}.csv", InputPath = "none", Status = BatchStatus.Failed, Error = "seeded", CreatedAt = at,
                });
            }
        });
        for (var i = 0; i < 3; i++)
            await api.PostJsonAsync($"/api/v1/endpoints/{endpointId}/keys", new { name = $"scoped {i}" }, HttpStatusCode.Created);

        string[] routes =
        [
            "/api/v1/datasets", "/api/v1/searches", "/api/v1/models", "/api/v1/endpoints", $"/api/v1/endpoints/{endpointId}/batches",
            $"/api/v1/datasets/{datasetId}/versions", "/api/v1/apikeys", $"/api/v1/endpoints/{endpointId}/keys", "/api/v1/users", "/api/v1/admin/audit",
        ];
        foreach (var route in routes)
        {
            var (all, total) = await PageAsync(api, route + "?take=500");
            Assert.True(total >= 3, $"{route}: only {total} entries");
            Assert.Equal(total, all.GetArrayLength());
            var (page, pageTotal) = await PageAsync(api, route + "?skip=1&take=2");
            Assert.Equal(total, pageTotal);
            Assert.True(Ids(all)[1..3].SequenceEqual(Ids(page)), $"{route}: skip=1&take=2 is not the 2nd and 3rd of the whole list");
            var (byDefault, _) = await PageAsync(api, route);
            Assert.Equal(total, byDefault.GetArrayLength());

            var tooMany = await (await api.GetAsync(route + "?take=501")).JsonAsync(HttpStatusCode.BadRequest);
            tooMany.AssertProblem(400, "Invalid paging");
            Assert.Contains("500", tooMany.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task Out_of_range_paging_gets_a_problem_that_says_what_to_send()
    {
        await using var app = new StudioApp();
        (string Query, string Parameter)[] cases =
        [
            ("take=501", "take"), ("take=0", "take"), ("take=-5", "take"), ("take=ten", "take"), ("take=2.5", "take"), ("take=2&take=3", "take"),
            ("skip=-1", "skip"), ("skip=abc", "skip"), ("skip=99999999999", "skip"),
        ];
        foreach (var route in new[] { "/api/v1/datasets", "/api/v1/searches", "/api/v1/models", "/api/v1/endpoints" })
        foreach (var (query, parameter) in cases)
        {
            var problem = await (await app.Api().GetAsync($"{route}?{query}")).JsonAsync(HttpStatusCode.BadRequest);
            problem.AssertProblem(400, "Invalid paging");
            Assert.Contains($"'{parameter}'", problem.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task The_api_description_names_skip_take_and_the_total_header_on_list_routes()
    {
        await using var app = new StudioApp();
        var paths = (await app.Api().GetJsonAsync("/openapi/v1.json")).GetProperty("paths");
        foreach (var route in new[] { "/api/v1/datasets", "/api/v1/searches", "/api/v1/models", "/api/v1/endpoints", "/api/v1/endpoints/{id}/batches" })
        {
            var list = paths.GetProperty(route).GetProperty("get");
            Assert.Contains("X-Total-Count", list.GetProperty("summary").GetString());
            var parameters = list.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
            Assert.Contains("skip", parameters);
            Assert.Contains("take", parameters);
            Assert.True(list.GetProperty("responses").GetProperty("200").GetProperty("headers").TryGetProperty("X-Total-Count", out _), route);
        }
    }

    private static async Task<(JsonElement Items, int Total)> PageAsync(HttpClient api, string url)
    {
        var response = await api.GetAsync(url);
        var items = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Array, items.ValueKind);
        Assert.True(response.Headers.TryGetValues("X-Total-Count", out var total), $"{url} has no X-Total-Count header");
        return (items, int.Parse(total.Single()));
    }

    private static List<string> Ids(JsonElement items) => [.. items.EnumerateArray().Select(i => i.GetProperty("id").ToString())];

    private static async Task SeedAsync(StudioApp app, Action<StudioDbContext> seed)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StudioDbContext>();
        seed(db);
        await db.SaveChangesAsync();
    }
}
