using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace AutoMLStudio.Web.Tests;

[Collection(StudioCollection.Name)]
public sealed class SearchValidationTests(StudioApp app)
{
    private static Guid? _datasetId;

    private async Task<Guid> DatasetAsync()
    {
        _datasetId ??= Guid.Parse((await app.Api().ImportAsync(TestImages.ClassFolderZip(perClass: 4), "validation")).GetProperty("id").GetString()!);
        return _datasetId.Value;
    }

    [Fact]
    public async Task Unknown_dataset_is_404_with_a_problem()
    {
        var problem = await app.Api().PostJsonAsync("/api/v1/searches", new { datasetId = Guid.NewGuid() }, HttpStatusCode.NotFound);
        problem.AssertProblem(404, "not found");
    }

    [Fact]
    public async Task Missing_dataset_id_and_broken_json_are_400_with_a_problem()
    {
        var api = app.Api();
        (await api.PostJsonAsync("/api/v1/searches", new { }, HttpStatusCode.BadRequest)).AssertProblem(400, "Dataset missing");
        var broken = await api.PostAsync("/api/v1/searches", new StringContent("{\"datasetId\": ", Encoding.UTF8, "application/json"));
        (await broken.JsonAsync(HttpStatusCode.BadRequest)).AssertProblem(400, "Invalid JSON");
    }

    public static TheoryData<string, object, string> BadRequests => new()
    {
        { "unknown metric", new { metric = "happiness" }, "Metric" },
        { "negative params", new { metric = "accuracy", constraints = new { maxParams = -1 } }, "constraint" },
        { "zero latency limit", new { metric = "accuracy", constraints = new { maxLatencyMs = 0 } }, "constraint" },
        { "negative latency limit", new { metric = "accuracy", constraints = new { maxLatencyMs = -2.5 } }, "constraint" },
        { "unknown trade-off", new { metric = "accuracy", tradeOff = "beauty" }, "trade-off" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Objectives_this_version_cannot_honour_are_refused_with_the_reason(string why, object objective, string title)
    {
        var problem = await app.Api().PostJsonAsync("/api/v1/searches", new { datasetId = await DatasetAsync(), objective }, HttpStatusCode.BadRequest);
        problem.AssertProblem(400, title);
        Assert.NotNull(why);
    }

    [Theory]
    [InlineData(0, 5, 1)]
    [InlineData(2, -1, 1)]
    [InlineData(2, 5, 0)]
    [InlineData(5000, 5, 1)]
    public async Task Budgets_out_of_range_are_refused(int maxTrials, double maxMinutes, int maxEpochs)
    {
        var problem = await app.Api().PostJsonAsync("/api/v1/searches",
            new { datasetId = await DatasetAsync(), budget = new { maxTrials, maxMinutes, maxEpochsPerTrial = maxEpochs } }, HttpStatusCode.BadRequest);
        problem.AssertProblem(400, "budget");
    }

    [Fact]
    public async Task Unknown_algorithm_is_refused_listing_the_valid_ones()
    {
        var problem = await app.Api().PostJsonAsync("/api/v1/searches",
            new { datasetId = await DatasetAsync(), algorithm = "alchemy" }, HttpStatusCode.BadRequest);
        problem.AssertProblem(400, "Algorithm");
        Assert.Contains("random", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Dataset_with_a_single_class_cannot_be_trained()
    {
        var single = await app.Api().ImportAsync(TestImages.Zip(("only/1.png", TestImages.Png("vertical", 1)), ("only/2.png", TestImages.Png("vertical", 2))), "single");
        var problem = await app.Api().PostJsonAsync("/api/v1/searches", new { datasetId = single.GetProperty("id").GetString() }, HttpStatusCode.Conflict);
        problem.AssertProblem(409, "Not enough classes");
    }

    [Fact]
    public async Task Controls_and_registry_answer_unknown_ids_with_404_and_wrong_formats_with_400()
    {
        var api = app.Api();
        foreach (var action in new[] { "cancel", "pause", "resume" })
            (await (await api.PostAsync($"/api/v1/searches/{Guid.NewGuid()}/{action}", null)).JsonAsync(HttpStatusCode.NotFound)).AssertProblem(404, "not found");
        (await api.PostJsonAsync("/api/v1/models", new { trialId = Guid.NewGuid(), name = "x" }, HttpStatusCode.NotFound)).AssertProblem(404, "not found");
        (await api.PostJsonAsync("/api/v1/models", new { name = "x" }, HttpStatusCode.BadRequest)).AssertProblem(400, "Trial missing");
        (await (await api.GetAsync($"/api/v1/models/{Guid.NewGuid()}/download?format=torchsharp")).JsonAsync(HttpStatusCode.NotFound)).AssertProblem(404, "not found");
        (await (await api.GetAsync($"/api/v1/models/{Guid.NewGuid()}/download?format=pickle")).JsonAsync(HttpStatusCode.BadRequest)).AssertProblem(400, "Unknown format");
        (await (await api.GetAsync($"/api/v1/datasets/{Guid.NewGuid()}")).JsonAsync(HttpStatusCode.NotFound)).AssertProblem(404, "not found");
        (await (await api.PutAsJsonAsync($"/api/v1/datasets/{Guid.NewGuid()}/items/{Guid.NewGuid()}/label", new { label = "x" })).JsonAsync(HttpStatusCode.NotFound)).AssertProblem(404, "not found");
    }
}
