using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using AutoMLStudio.Core.Searches;

namespace AutoMLStudio.Web.Tests;

/// <summary>Tabular and text searches through the REST API, on tiny data: import, search, trials, test evaluation.</summary>
[Collection(StudioCollection.Name)]
public sealed class RowSearchTests(StudioApp app)
{
    private static readonly string[] Colours = ["red", "green", "blue"];

    internal static byte[] ColourTable(int rows)
    {
        var rng = new Random(1);
        var csv = new StringBuilder("colour,size,label\n");
        for (var i = 0; i < rows; i++)
        {
            var c = i % 3;
            csv.Append(CultureInfo.InvariantCulture, $"{Colours[c]},{rng.NextDouble() * 10:F2},{(c == 0 ? "warm" : c == 1 ? "fresh" : "cold")}\n");
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    internal static byte[] LinearTable(int rows)
    {
        var rng = new Random(2);
        var csv = new StringBuilder("x1,x2,y\n");
        for (var i = 0; i < rows; i++)
        {
            double x1 = rng.NextDouble() * 4 - 2, x2 = rng.NextDouble() * 4 - 2;
            csv.Append(CultureInfo.InvariantCulture, $"{x1:F3},{x2:F3},{3 * x1 - 2 * x2 + (rng.NextDouble() - 0.5) * 0.1:F3}\n");
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    internal static byte[] Reviews(int rows)
    {
        var csv = new StringBuilder("text,label\n");
        for (var i = 0; i < rows; i++)
            csv.Append(i % 2 == 0 ? $"\"the box was great, really great {i}\",good\n" : $"\"the box was awful, really awful {i}\",bad\n");
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private async Task<(JsonElement Search, JsonElement Done, List<JsonElement> Trials)> SearchAsync(
        byte[] csv, Dictionary<string, string> fields, object? objective = null)
    {
        var api = app.Api();
        var dataset = await api.ImportFileAsync(csv, "rows.csv", "rows", fields);
        Assert.Equal("ready", dataset.GetProperty("status").GetString());
        var search = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId = dataset.GetProperty("id").GetString(),
            objective,
            budget = new { maxTrials = 2, maxMinutes = 5, maxEpochsPerTrial = 2 },
            seed = 5,
        }, HttpStatusCode.Created);
        var id = search.GetProperty("id").GetString()!;
        var done = await api.WaitForSearchEndAsync(id);
        var trials = (await api.GetJsonAsync($"/api/v1/searches/{id}/trials")).EnumerateArray().ToList();
        return (search, done, trials);
    }

    private static void AssertTrialsTrained(List<JsonElement> trials)
    {
        // The two trials the budget allows, and perhaps an ensemble of them when it beats both on validation.
        var trained = trials.Where(t => t.GetProperty("config").GetProperty("learner").GetString() != "ensemble").ToList();
        Assert.Equal(2, trained.Count);
        Assert.InRange(trials.Count, 2, 3);
        Assert.All(trained, t =>
        {
            Assert.Equal("completed", t.GetProperty("status").GetString());
            Assert.True(t.GetProperty("params").GetInt64() > 0);
            Assert.True(t.GetProperty("flops").GetInt64() > 0);
            // A learner reports each epoch (the MLP) or each stage of its rounds or trees (at most the epochs asked for).
            Assert.InRange(t.GetProperty("epochs").GetArrayLength(), 1, 2);
        });
    }

    [Fact]
    public async Task Tabular_classification_search_runs_end_to_end_and_reports_test_accuracy()
    {
        var (search, done, trials) = await SearchAsync(ColourTable(60), new() { ["labelColumn"] = "label" });

        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal("accuracy", search.GetProperty("metric").GetString());
        AssertTrialsTrained(trials);
        Assert.All(trials, t => Assert.Contains(t.GetProperty("config").GetProperty("learner").GetString(),
            RowTrials.Choice(SearchTask.TabularClassification).Learners.Select(l => l.Name)));
        var best = done.GetProperty("best");
        Assert.InRange(best.GetProperty("testAccuracy").GetDouble(), 0, 1);
        Assert.Equal(["cold", "fresh", "warm"], best.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(3, best.GetProperty("confusionMatrix").GetArrayLength());
        Assert.Equal(3, best.GetProperty("test").GetProperty("perClass").GetArrayLength());
        var model = await app.Api().PostJsonAsync("/api/v1/models", new { trialId = best.GetProperty("trialId").GetString(), name = "colours" }, HttpStatusCode.Created);
        var version = (await app.Api().GetJsonAsync($"/api/v1/models/{model.GetProperty("id").GetString()}")).GetProperty("versions")[0];
        Assert.Equal("tabular_classification", version.GetProperty("task").GetString());
        Assert.Equal(["colour", "size"], version.GetProperty("card").GetProperty("rows").GetProperty("fields").EnumerateArray().Select(f => f.GetString()).Order());
    }

    [Fact]
    public async Task Tabular_regression_search_optimises_rmse_and_reports_test_errors_in_the_labels_units()
    {
        var (search, done, trials) = await SearchAsync(LinearTable(60), new() { ["labelColumn"] = "y" });

        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal("rmse", search.GetProperty("metric").GetString());
        Assert.Equal("none", search.GetProperty("scheduler").GetString());
        AssertTrialsTrained(trials);
        var best = done.GetProperty("best");
        Assert.Equal(trials.Min(t => t.GetProperty("metrics").GetProperty("valMetric").GetDouble()), best.GetProperty("valMetric").GetDouble());
        Assert.Equal("lower_is_better", done.GetProperty("metricDirection").GetString());
        var test = best.GetProperty("test");
        Assert.True(test.GetProperty("rmse").GetDouble() > 0);
        Assert.Equal(test.GetProperty("rmse").GetDouble(), test.GetProperty("value").GetDouble());
        Assert.True(test.GetProperty("mae").GetDouble() <= test.GetProperty("rmse").GetDouble());
        Assert.Equal(JsonValueKind.Null, best.GetProperty("testAccuracy").ValueKind);
    }

    [Fact]
    public async Task Text_classification_search_runs_end_to_end()
    {
        var (_, done, trials) = await SearchAsync(Reviews(40), new() { ["textColumn"] = "text", ["labelColumn"] = "label" });

        Assert.Equal("completed", done.GetProperty("status").GetString());
        AssertTrialsTrained(trials);
        var neural = trials.Select(t => t.GetProperty("config")).Where(c => c.GetProperty("learner").GetString() == "text").ToList();
        Assert.All(neural, c => Assert.Contains(c.GetProperty("architecture").GetProperty("family").GetString(), new[] { "embedding-bag", "cnn" }));
        Assert.InRange(done.GetProperty("best").GetProperty("testAccuracy").GetDouble(), 0, 1);
    }

    [Fact]
    public async Task Tabular_search_optimises_the_cost_of_mistakes_the_user_set_and_reports_the_test_cost()
    {
        // Rows: cold, fresh, warm. Missing a warm row costs 20.
        double[][] costs = [[0, 1, 1], [1, 0, 1], [20, 20, 0]];
        var (search, done, trials) = await SearchAsync(ColourTable(60), new() { ["labelColumn"] = "label" },
            new { metric = "cost", costMatrix = costs });

        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal("cost", search.GetProperty("metric").GetString());
        Assert.Equal("lower_is_better", done.GetProperty("metricDirection").GetString());
        AssertTrialsTrained(trials);
        Assert.All(trials, t =>
        {
            var metrics = t.GetProperty("metrics");
            var confusion = metrics.GetProperty("valConfusionMatrix").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetInt32()).ToArray()).ToArray();
            Assert.Equal(ExpectedCost(confusion, costs), metrics.GetProperty("valMetric").GetDouble(), 9);
        });
        var best = done.GetProperty("best");
        Assert.Equal(trials.Min(t => t.GetProperty("metrics").GetProperty("valMetric").GetDouble()), best.GetProperty("valMetric").GetDouble());
        var test = best.GetProperty("test");
        var testConfusion = best.GetProperty("confusionMatrix").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetInt32()).ToArray()).ToArray();
        Assert.Equal(ExpectedCost(testConfusion, costs), test.GetProperty("cost").GetDouble(), 9);
        Assert.Equal(test.GetProperty("cost").GetDouble(), test.GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Text_search_can_optimise_macro_f1()
    {
        var (search, done, _) = await SearchAsync(Reviews(40), new() { ["textColumn"] = "text", ["labelColumn"] = "label" }, new { metric = "macro_f1" });

        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal("macro_f1", search.GetProperty("metric").GetString());
        var test = done.GetProperty("best").GetProperty("test");
        Assert.Equal(test.GetProperty("macroF1").GetDouble(), test.GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task A_tabular_search_refined_under_a_cost_matrix_rescores_its_trials_and_trains_only_the_new_budget()
    {
        double[][] costs = [[0, 5, 5], [1, 0, 1], [1, 1, 0]];
        var (parent, _, parentTrials) = await SearchAsync(ColourTable(60), new() { ["labelColumn"] = "label" });
        var api = app.Api();

        var refined = await api.PostJsonAsync($"/api/v1/searches/{parent.GetProperty("id").GetString()}/refine", new
        {
            objective = new { metric = "cost", costMatrix = costs },
            budget = new { maxTrials = 1, maxEpochsPerTrial = 1 },
        }, HttpStatusCode.Created);
        var done = await api.WaitForSearchEndAsync(refined.GetProperty("id").GetString()!);

        Assert.Equal("completed", done.GetProperty("status").GetString());
        var trials = (await api.GetJsonAsync($"/api/v1/searches/{refined.GetProperty("id").GetString()}/trials")).EnumerateArray().ToList();
        var inherited = trials.Where(t => t.GetProperty("inheritedFrom").ValueKind == JsonValueKind.Object).ToList();
        Assert.Equal(parentTrials.Count, inherited.Count);
        Assert.Single(trials.Except(inherited));
        Assert.All(inherited, t =>
        {
            var confusion = t.GetProperty("metrics").GetProperty("valConfusionMatrix").Deserialize<int[][]>()!;
            Assert.Equal("completed", t.GetProperty("status").GetString());
            Assert.Equal(ExpectedCost(confusion, costs), t.GetProperty("metrics").GetProperty("valMetric").GetDouble(), 9);
        });
        Assert.Equal("cost", done.GetProperty("best").GetProperty("test").GetProperty("metric").GetString());
    }

    [Fact]
    public async Task A_regression_refined_under_another_error_metric_says_its_trials_cannot_be_rescored_and_trains_new_ones()
    {
        var (parent, _, parentTrials) = await SearchAsync(LinearTable(60), new() { ["labelColumn"] = "y" });
        var api = app.Api();

        var refined = await api.PostJsonAsync($"/api/v1/searches/{parent.GetProperty("id").GetString()}/refine", new
        {
            objective = new { metric = "mae" },
            budget = new { maxTrials = 1, maxEpochsPerTrial = 1 },
        }, HttpStatusCode.Created);
        var done = await api.WaitForSearchEndAsync(refined.GetProperty("id").GetString()!);

        Assert.Equal("completed", done.GetProperty("status").GetString());
        var trials = (await api.GetJsonAsync($"/api/v1/searches/{refined.GetProperty("id").GetString()}/trials")).EnumerateArray().ToList();
        var inherited = trials.Where(t => t.GetProperty("inheritedFrom").ValueKind == JsonValueKind.Object).ToList();
        Assert.Equal(parentTrials.Count, inherited.Count); // its two trials, and their ensemble if it made one
        Assert.All(inherited, t =>
        {
            Assert.Equal("pruned", t.GetProperty("status").GetString());
            Assert.Contains("keeps only its validation rmse", t.GetProperty("error").GetString());
        });
        Assert.Equal(done.GetProperty("bestTrialId").GetString(), trials.Except(inherited).Single().GetProperty("id").GetString());
        Assert.Equal("mae", done.GetProperty("best").GetProperty("test").GetProperty("metric").GetString());
    }

    // Mean cost per item, written out here rather than taken from the engine, so the test checks the studio's sum.
    private static double ExpectedCost(int[][] confusion, double[][] costs)
    {
        double total = 0;
        var count = 0;
        for (var t = 0; t < confusion.Length; t++)
            for (var p = 0; p < confusion.Length; p++)
            {
                total += confusion[t][p] * costs[t][p];
                count += confusion[t][p];
            }
        return total / count;
    }

    [Fact]
    public async Task An_impossible_latency_limit_on_a_table_fails_the_search_without_training()
    {
        var (_, done, trials) = await SearchAsync(ColourTable(30), new() { ["labelColumn"] = "label" },
            new { metric = "accuracy", constraints = new { maxLatencyMs = 1e-6 } });

        Assert.Equal("failed", done.GetProperty("status").GetString());
        Assert.Contains("maxLatencyMs", done.GetProperty("error").GetString());
        Assert.Empty(trials);
    }

    [Fact]
    public async Task A_text_search_trading_accuracy_against_latency_measures_every_trial_and_returns_the_pareto_front()
    {
        var (search, done, trials) = await SearchAsync(Reviews(40), new() { ["textColumn"] = "text", ["labelColumn"] = "label" },
            new { metric = "accuracy", tradeOff = "latency", constraints = new { maxLatencyMs = 10_000 } });

        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal("latency", search.GetProperty("tradeOff").GetString());
        AssertTrialsTrained(trials);
        Assert.All(trials, t => Assert.InRange(t.GetProperty("latencyMs").GetDouble(), 1e-4, 10_000));
        var front = done.GetProperty("paretoFront").EnumerateArray().ToList();
        Assert.NotEmpty(front);
        Assert.Equal(trials.Where(t => t.GetProperty("onParetoFront").GetBoolean()).Select(t => t.GetProperty("id").GetString()).ToHashSet(),
            front.Select(p => p.GetProperty("trialId").GetString()).ToHashSet());
    }

    [Fact]
    public async Task A_task_or_metric_that_does_not_fit_the_dataset_is_a_400_problem()
    {
        var api = app.Api();
        var dataset = await api.ImportFileAsync(ColourTable(30), "colours.csv", "colours", new Dictionary<string, string> { ["labelColumn"] = "label" });
        var datasetId = dataset.GetProperty("id").GetString();

        (await api.PostJsonAsync("/api/v1/searches", new { datasetId, task = "text_classification" }, HttpStatusCode.BadRequest))
            .AssertProblem(400, "Task does not fit");
        (await api.PostJsonAsync("/api/v1/searches", new { datasetId, task = "tabular_regression" }, HttpStatusCode.BadRequest))
            .AssertProblem(400, "Task does not fit");
        (await api.PostJsonAsync("/api/v1/searches", new { datasetId, objective = new { metric = "rmse" } }, HttpStatusCode.BadRequest))
            .AssertProblem(400, "Metric");
        (await api.PostJsonAsync("/api/v1/searches", new { datasetId, algorithm = "nac" }, HttpStatusCode.BadRequest))
            .AssertProblem(400, "Algorithm");
    }

    [Fact]
    public async Task A_parameter_limit_no_tabular_model_fits_fails_the_search_with_the_reason_and_trains_nothing()
    {
        var api = app.Api();
        var dataset = await api.ImportFileAsync(ColourTable(30), "tight.csv", "tight", new Dictionary<string, string> { ["labelColumn"] = "label" });
        var search = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId = dataset.GetProperty("id").GetString(),
            objective = new { metric = "accuracy", constraints = new { maxParams = 10 } },
            budget = new { maxTrials = 2, maxEpochsPerTrial = 1 },
        }, HttpStatusCode.Created);

        var done = await api.WaitForSearchEndAsync(search.GetProperty("id").GetString()!);

        Assert.Equal("failed", done.GetProperty("status").GetString());
        Assert.Contains("maxParams", done.GetProperty("error").GetString());
        Assert.Equal(0, done.GetProperty("trialsTotal").GetInt32());
    }
}
