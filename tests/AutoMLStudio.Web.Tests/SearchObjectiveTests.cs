using System.Net;
using System.Text.Json;

namespace AutoMLStudio.Web.Tests;

[Collection(StudioCollection.Name)]
public sealed class SearchObjectiveTests(StudioApp app)
{
    [Fact]
    public async Task A_cost_search_ranks_trials_by_cost_and_reports_cost_macro_f1_and_per_class_scores_on_the_test_split()
    {
        var api = app.Api();
        var dataset = await api.ImportAsync(TestImages.ClassFolderZip(perClass: 8), "objectives");
        // Classes in order: checker, horizontal, vertical. Calling a vertical stripe "checker" costs 10.
        double[][] cost = [[0, 1, 1], [1, 0, 1], [10, 1, 0]];

        var search = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId = dataset.GetProperty("id").GetString(),
            objective = new { metric = "cost", costMatrix = cost, constraints = new { maxParams = 20_000 } },
            budget = new { maxTrials = 2, maxMinutes = 10, maxEpochsPerTrial = 1 },
            algorithm = "random",
            seed = 5,
        }, HttpStatusCode.Created);
        var id = search.GetProperty("id").GetString()!;
        var done = await api.WaitForSearchEndAsync(id);

        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal("lower_is_better", done.GetProperty("metricDirection").GetString());
        var trials = (await api.GetJsonAsync($"/api/v1/searches/{id}/trials")).EnumerateArray().ToList();
        foreach (var trial in trials)
        {
            var metrics = trial.GetProperty("metrics");
            var confusion = metrics.GetProperty("valConfusionMatrix").Deserialize<int[][]>()!;
            Assert.Equal(ExpectedCost(confusion, cost), metrics.GetProperty("valMetric").GetDouble(), 9);
            Assert.Equal(JsonValueKind.Null, metrics.GetProperty("valAccuracy").ValueKind);
            Assert.True(trial.GetProperty("params").GetInt64() <= 20_000);
        }
        var cheapest = trials.MinBy(t => t.GetProperty("metrics").GetProperty("valMetric").GetDouble());
        var best = done.GetProperty("best");
        Assert.Equal(cheapest.GetProperty("id").GetString(), best.GetProperty("trialId").GetString());

        var test = best.GetProperty("test");
        var testConfusion = test.GetProperty("confusionMatrix").Deserialize<int[][]>()!;
        Assert.Equal("cost", test.GetProperty("metric").GetString());
        Assert.Equal(ExpectedCost(testConfusion, cost), test.GetProperty("value").GetDouble(), 9);
        Assert.Equal(test.GetProperty("value").GetDouble(), test.GetProperty("cost").GetDouble());
        Assert.InRange(test.GetProperty("macroF1").GetDouble(), 0, 1);
        var perClass = test.GetProperty("perClass").EnumerateArray().ToList();
        Assert.Equal(["checker", "horizontal", "vertical"], perClass.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(testConfusion.Select(row => row.Sum()), perClass.Select(c => c.GetProperty("support").GetInt32()));
    }

    private static double ExpectedCost(int[][] confusion, double[][] cost) =>
        confusion.SelectMany((row, t) => row.Select((count, p) => count * cost[t][p])).Sum() / confusion.Sum(row => row.Sum());
}
