using System.Net;
using System.Text.Json;

namespace AutoMLStudio.Web.Tests;

[Collection(StudioCollection.Name)]
public sealed class RefineSearchTests(StudioApp app)
{
    // Classes in order: checker, horizontal, vertical. Calling a vertical stripe "checker" costs 10.
    private static readonly double[][] Cost = [[0, 1, 1], [1, 0, 1], [10, 1, 0]];

    [Fact]
    public async Task Refining_with_a_cost_matrix_and_a_parameter_limit_rescores_earlier_trials_and_trains_only_the_new_budget()
    {
        var api = app.Api();
        var parentId = await FinishedSearchAsync(api, "refine");
        var parentTrials = (await api.GetJsonAsync($"/api/v1/searches/{parentId}/trials")).EnumerateArray()
            .Where(t => t.GetProperty("status").GetString() == "completed").ToList();
        Assert.True(parentTrials.Count >= 2, "the parent needs two finished trials to compare");
        var largest = parentTrials.Max(t => t.GetProperty("params").GetInt64());
        var limit = largest - 1;

        var refined = await api.PostJsonAsync($"/api/v1/searches/{parentId}/refine", new
        {
            objective = new { metric = "cost", costMatrix = Cost, constraints = new { maxParams = limit } },
            budget = new { maxTrials = 1, maxEpochsPerTrial = 1 },
            algorithm = "random",
        }, HttpStatusCode.Created);
        var id = refined.GetProperty("id").GetString()!;
        Assert.Equal(parentId, refined.GetProperty("parentSearchId").GetString());
        var done = await api.WaitForSearchEndAsync(id);
        Assert.Equal("completed", done.GetProperty("status").GetString());

        var trials = (await api.GetJsonAsync($"/api/v1/searches/{id}/trials")).EnumerateArray().ToList();
        var inherited = trials.Where(t => t.GetProperty("inheritedFrom").ValueKind == JsonValueKind.Object).ToList();
        var fresh = trials.Except(inherited).ToList();
        Assert.Equal(parentTrials.Count, inherited.Count);
        Assert.Single(fresh);
        Assert.True(fresh[0].GetProperty("params").GetInt64() <= limit);
        foreach (var trial in inherited)
        {
            var from = trial.GetProperty("inheritedFrom");
            Assert.Equal(parentId, from.GetProperty("searchId").GetString());
            var original = parentTrials.Single(t => t.GetProperty("number").GetInt32() == from.GetProperty("trialNumber").GetInt32());
            var confusion = original.GetProperty("metrics").GetProperty("valConfusionMatrix").Deserialize<int[][]>()!;
            Assert.Equal(ExpectedCost(confusion, Cost), trial.GetProperty("metrics").GetProperty("valMetric").GetDouble(), 9);
            var tooLarge = trial.GetProperty("params").GetInt64() > limit;
            Assert.Equal(tooLarge ? "pruned" : "completed", trial.GetProperty("status").GetString());
            if (tooLarge) Assert.Contains("parameter limit", trial.GetProperty("error").GetString());
        }

        // Ties on a tiny validation set are broken by loss, so compare costs rather than ids.
        var eligible = trials.Where(t => t.GetProperty("status").GetString() == "completed").ToList();
        var best = eligible.Single(t => t.GetProperty("id").GetString() == done.GetProperty("bestTrialId").GetString());
        Assert.Equal(eligible.Min(t => t.GetProperty("metrics").GetProperty("valMetric").GetDouble()),
            best.GetProperty("metrics").GetProperty("valMetric").GetDouble());
        Assert.Equal("cost", done.GetProperty("best").GetProperty("test").GetProperty("metric").GetString());
    }

    [Fact]
    public async Task A_search_ends_with_its_best_configuration_retrained_on_train_and_validation_and_registers_that_model()
    {
        var api = app.Api();
        var id = await FinishedSearchAsync(api, "retrain");
        var search = await api.GetJsonAsync($"/api/v1/searches/{id}");

        var retrain = search.GetProperty("finalRetrain");
        Assert.Equal("done", retrain.GetProperty("state").GetString());
        Assert.Equal(search.GetProperty("bestTrialId").GetString(), retrain.GetProperty("trialId").GetString());
        Assert.Equal(1, retrain.GetProperty("epochs").GetInt32());
        var test = search.GetProperty("best").GetProperty("test");
        Assert.True(test.GetProperty("count").GetInt32() > 0);

        var registered = await api.PostJsonAsync("/api/v1/models", new { trialId = search.GetProperty("bestTrialId").GetString(), name = "retrained" },
            HttpStatusCode.Created);
        var model = await api.GetJsonAsync($"/api/v1/models/{registered.GetProperty("id").GetString()}");
        var version = model.GetProperty("versions")[0];
        var card = version.GetProperty("card");
        Assert.Equal("train+validation, 1 epoch", card.GetProperty("trainedOn").GetString());
        Assert.Equal(test.GetProperty("accuracy").GetDouble(), card.GetProperty("metrics").GetProperty("test").GetDouble());
        Assert.Equal(test.GetProperty("macroF1").GetDouble(), card.GetProperty("metrics").GetProperty("testMacroF1").GetDouble());
        var retrained = Path.Combine(app.DataDir, "artifacts", "searches", Guid.Parse(id).ToString("N"), "final", "retrained.weights");
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(retrained))),
            version.GetProperty("weightsSha256").GetString());
    }

    [Fact]
    public async Task Refine_refuses_a_running_search_an_unknown_one_and_a_bad_cost_matrix()
    {
        var api = app.Api();
        var dataset = await api.ImportAsync(TestImages.ClassFolderZip(perClass: 6), "refine-hostile");
        var running = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId = dataset.GetProperty("id").GetString(),
            budget = new { maxTrials = 50, maxMinutes = 10, maxEpochsPerTrial = 50 },
            algorithm = "random",
        }, HttpStatusCode.Created);
        var runningId = running.GetProperty("id").GetString()!;
        (await api.PostJsonAsync($"/api/v1/searches/{runningId}/refine", new { }, HttpStatusCode.Conflict)).AssertProblem(409, "not finished");
        await api.PostJsonAsync($"/api/v1/searches/{runningId}/cancel", new { }, HttpStatusCode.OK);

        (await api.PostJsonAsync($"/api/v1/searches/{Guid.NewGuid()}/refine", new { }, HttpStatusCode.NotFound)).AssertProblem(404, "not found");

        var finished = await FinishedSearchAsync(api, "refine-bad-cost");
        var problem = await api.PostJsonAsync($"/api/v1/searches/{finished}/refine",
            new { objective = new { metric = "cost", costMatrix = new[] { new[] { 0.0, 1 }, new[] { 1.0, 0 } } } }, HttpStatusCode.BadRequest);
        problem.AssertProblem(400, "cost matrix");
    }

    /// <summary>A tiny finished accuracy search: three trials of one epoch.</summary>
    private static async Task<string> FinishedSearchAsync(HttpClient api, string name)
    {
        var dataset = await api.ImportAsync(TestImages.ClassFolderZip(perClass: 8), name);
        var search = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId = dataset.GetProperty("id").GetString(),
            budget = new { maxTrials = 3, maxMinutes = 10, maxEpochsPerTrial = 1 },
            algorithm = "random",
            seed = 11,
        }, HttpStatusCode.Created);
        var id = search.GetProperty("id").GetString()!;
        Assert.Equal("completed", (await api.WaitForSearchEndAsync(id)).GetProperty("status").GetString());
        return id;
    }

    private static double ExpectedCost(int[][] confusion, double[][] cost) =>
        confusion.SelectMany((row, t) => row.Select((count, p) => count * cost[t][p])).Sum() / confusion.Sum(row => row.Sum());
}
