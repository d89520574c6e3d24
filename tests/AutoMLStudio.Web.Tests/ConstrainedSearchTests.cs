using System.Net;
using System.Text.Json;

namespace AutoMLStudio.Web.Tests;

/// <summary>A latency limit, checked on the candidate before it trains, and multi-objective mode with its Pareto front.</summary>
[Collection(StudioCollection.Name)]
public sealed class ConstrainedSearchTests(StudioApp app)
{
    private async Task<JsonElement> SearchAsync(string name, object objective, string algorithm, int maxTrials, int maxEpochs)
    {
        var api = app.Api();
        var dataset = await api.ImportAsync(TestImages.ClassFolderZip(perClass: 6), name);
        var search = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId = dataset.GetProperty("id").GetString(),
            objective,
            budget = new { maxTrials, maxMinutes = 5, maxEpochsPerTrial = maxEpochs },
            algorithm,
            seed = 4,
        }, HttpStatusCode.Created);
        return await api.WaitForSearchEndAsync(search.GetProperty("id").GetString()!);
    }

    private async Task<List<JsonElement>> TrialsAsync(JsonElement search) =>
        [.. (await app.Api().GetJsonAsync($"/api/v1/searches/{search.GetProperty("id").GetString()}/trials")).EnumerateArray()];

    [Fact]
    public async Task An_impossible_latency_limit_fails_the_search_saying_the_constraints_are_too_tight_without_training()
    {
        var done = await SearchAsync("latency impossible", new { metric = "accuracy", constraints = new { maxLatencyMs = 1e-6 } }, "random", 2, 1);

        Assert.Equal("failed", done.GetProperty("status").GetString());
        Assert.Contains("Constraints too tight", done.GetProperty("error").GetString());
        Assert.Contains("maxLatencyMs", done.GetProperty("error").GetString());
        Assert.Empty(await TrialsAsync(done));
    }

    [Fact]
    public async Task A_generous_latency_limit_trains_and_every_trial_records_its_latency()
    {
        var done = await SearchAsync("latency generous", new { metric = "accuracy", constraints = new { maxLatencyMs = 10_000 } }, "random", 2, 1);

        Assert.Equal("completed", done.GetProperty("status").GetString());
        var trials = await TrialsAsync(done);
        Assert.Equal(2, trials.Count);
        Assert.All(trials, t => Assert.InRange(t.GetProperty("latencyMs").GetDouble(), 1e-4, 10_000));
        Assert.All(trials, t => Assert.Equal(JsonValueKind.Null, t.GetProperty("onParetoFront").ValueKind));
        Assert.Equal(JsonValueKind.Null, done.GetProperty("paretoFront").ValueKind);
    }

    [Fact]
    public async Task Nac_with_a_params_trade_off_trains_short_candidates_then_a_full_one_and_returns_the_pareto_front()
    {
        var done = await SearchAsync("nac pareto", new { metric = "accuracy", tradeOff = "params" }, "nac", 3, 4);

        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal("nac", done.GetProperty("algorithm").GetString());
        Assert.Equal("params", done.GetProperty("tradeOff").GetString());
        var trials = await TrialsAsync(done);
        Assert.Equal([1, 1, 4], trials.Select(t => t.GetProperty("epochs").GetArrayLength()));

        var front = done.GetProperty("paretoFront").EnumerateArray().ToList();
        Assert.NotEmpty(front);
        var frontParams = front.Select(p => p.GetProperty("params").GetInt64()).ToList();
        Assert.Equal(frontParams.Order(), frontParams);
        var onFront = trials.Where(t => t.GetProperty("onParetoFront").GetBoolean()).Select(t => t.GetProperty("id").GetString()).ToHashSet();
        Assert.Equal(onFront, front.Select(p => p.GetProperty("trialId").GetString()).ToHashSet());
        // Every trial off the front is beaten on both objectives by one on it.
        foreach (var off in trials.Where(t => !t.GetProperty("onParetoFront").GetBoolean()))
            Assert.Contains(front, p => p.GetProperty("valMetric").GetDouble() >= off.GetProperty("metrics").GetProperty("valAccuracy").GetDouble()
                                        && p.GetProperty("params").GetInt64() <= off.GetProperty("params").GetInt64());
    }
}
