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

    // The test dataset's classes in label order: checker, horizontal, vertical.
    public static TheoryData<string, string, string, string> BadCostObjectives => new()
    {
        { "cost without a matrix", """{"metric":"cost"}""", "Cost matrix missing", "costMatrix" },
        { "matrix with accuracy", """{"metric":"accuracy","costMatrix":[[0,1,1],[1,0,1],[1,1,0]]}""", "Cost matrix not used", "'accuracy'" },
        { "matrix with macro_f1", """{"metric":"macro_f1","costMatrix":[[0,1,1],[1,0,1],[1,1,0]]}""", "Cost matrix not used", "'macro_f1'" },
        { "matrix without metric", """{"costMatrix":[[0,1,1],[1,0,1],[1,1,0]]}""", "Cost matrix not used", "'accuracy'" },
        { "null matrix rows", """{"metric":"cost","costMatrix":[[0,1,1],null,[1,1,0]]}""", "Invalid cost matrix", "Row 2 of the cost matrix is missing" },
        { "ragged rows", """{"metric":"cost","costMatrix":[[0,1,1],[1,0],[1,1,0]]}""", "Invalid cost matrix", "has 2 numbers but needs 3" },
        { "too few rows", """{"metric":"cost","costMatrix":[[0,1],[1,0]]}""", "Invalid cost matrix", "checker, horizontal, vertical" },
        { "too many rows", """{"metric":"cost","costMatrix":[[0,1,1,1],[1,0,1,1],[1,1,0,1],[1,1,1,0]]}""", "Invalid cost matrix", "needs 3x3" },
        { "1x1 matrix", """{"metric":"cost","costMatrix":[[0]]}""", "Invalid cost matrix", "needs 3x3" },
        { "empty matrix", """{"metric":"cost","costMatrix":[]}""", "Invalid cost matrix", "needs 3x3" },
        { "negative cost", """{"metric":"cost","costMatrix":[[0,1,1],[1,0,-5],[1,1,0]]}""", "Invalid cost matrix", "row 2, column 3 is -5" },
        { "huge cost", """{"metric":"cost","costMatrix":[[0,1,1],[1,0,1e300],[1,1,0]]}""", "Invalid cost matrix", "between 0 and 1,000,000" },
        { "no mistake costs anything", """{"metric":"cost","costMatrix":[[0,0,0],[0,0,0],[0,0,0]]}""", "Invalid cost matrix", "must cost more than 0" },
        { "only the diagonal costs", """{"metric":"cost","costMatrix":[[3,0,0],[0,3,0],[0,0,3]]}""", "Invalid cost matrix", "must cost more than 0" },
        { "NaN as a string", """{"metric":"cost","costMatrix":[[0,"NaN",1],[1,0,1],[1,1,0]]}""", "Invalid", "" },
        { "Infinity as a string", """{"metric":"cost","costMatrix":[[0,"Infinity",1],[1,0,1],[1,1,0]]}""", "Invalid", "" },
        { "a number overflowing a double", """{"metric":"cost","costMatrix":[[0,1e999,1],[1,0,1],[1,1,0]]}""", "Invalid", "" },
        { "text instead of rows", """{"metric":"cost","costMatrix":"expensive"}""", "Invalid", "" },
    };

    [Theory]
    [MemberData(nameof(BadCostObjectives))]
    public async Task Hostile_cost_objectives_are_400_problems_that_say_what_to_fix(string why, string objectiveJson, string title, string detailContains)
    {
        var body = $$"""{"datasetId":"{{await DatasetAsync()}}","objective":{{objectiveJson}}}""";

        var response = await app.Api().PostAsync("/api/v1/searches", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await response.JsonAsync(HttpStatusCode.BadRequest);
        problem.AssertProblem(400, title);
        Assert.Contains(detailContains, problem.GetProperty("detail").GetString());
        Assert.NotNull(why);
    }

    [Theory]
    [InlineData("macro_f1", null, "higher_is_better")]
    [InlineData("cost", "[[0,1,1],[10,0,1],[1,1,0]]", "lower_is_better")]
    [InlineData("Cost", "[[0,1000000,0],[0,0,0],[0,0,0]]", "lower_is_better")]
    public async Task Macro_f1_and_cost_searches_are_accepted_and_say_their_direction(string metric, string? costMatrix, string direction)
    {
        var api = app.Api();
        var objective = costMatrix is null ? $$"""{"metric":"{{metric}}"}""" : $$"""{"metric":"{{metric}}","costMatrix":{{costMatrix}}}""";
        var body = $$$"""{"datasetId":"{{{await DatasetAsync()}}}","objective":{{{objective}}},"budget":{"maxTrials":1,"maxMinutes":0.01,"maxEpochsPerTrial":1}}""";

        var created = await (await api.PostAsync("/api/v1/searches", new StringContent(body, Encoding.UTF8, "application/json"))).JsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        await api.PostAsync($"/api/v1/searches/{id}/cancel", null);

        Assert.Equal(metric.ToLowerInvariant(), created.GetProperty("metric").GetString());
        Assert.Equal(direction, created.GetProperty("metricDirection").GetString());
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
