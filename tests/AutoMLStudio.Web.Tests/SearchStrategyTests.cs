using System.Net;
using System.Text.Json;

namespace AutoMLStudio.Web.Tests;

[Collection(StudioCollection.Name)]
public sealed class SearchStrategyTests(StudioApp app)
{
    [Fact]
    public async Task Auto_says_which_strategy_and_scheduler_it_chose_and_why()
    {
        var api = app.Api();
        var dataset = await api.ImportAsync(TestImages.ClassFolderZip(perClass: 6), "auto choice");
        var search = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId = dataset.GetProperty("id").GetString(),
            budget = new { maxTrials = 2, maxMinutes = 5, maxEpochsPerTrial = 9 },
        }, HttpStatusCode.Created);

        Assert.Equal("tpe", search.GetProperty("algorithm").GetString());
        Assert.Equal("asha", search.GetProperty("scheduler").GetString());
        Assert.Contains("ASHA", search.GetProperty("algorithmReason").GetString());
        await api.WaitForSearchEndAsync(search.GetProperty("id").GetString()!);
    }

    [Theory]
    [InlineData("tpe")]
    [InlineData("evolution")]
    public async Task Model_based_strategies_run_a_search_to_completion(string algorithm)
    {
        var api = app.Api();
        var dataset = await api.ImportAsync(TestImages.ClassFolderZip(perClass: 8), algorithm);
        var search = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId = dataset.GetProperty("id").GetString(),
            budget = new { maxTrials = 3, maxMinutes = 5, maxEpochsPerTrial = 2 },
            algorithm,
            seed = 3,
        }, HttpStatusCode.Created);
        Assert.Equal(algorithm, search.GetProperty("algorithm").GetString());
        Assert.Equal("none", search.GetProperty("scheduler").GetString());

        var done = await api.WaitForSearchEndAsync(search.GetProperty("id").GetString()!);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(3, done.GetProperty("trialsCompleted").GetInt32());
    }

    [Fact]
    public async Task Asha_prunes_weak_trials_with_a_reason_and_the_search_still_completes()
    {
        var api = app.Api();
        var dataset = await api.ImportAsync(TestImages.ClassFolderZip(perClass: 12), "asha");
        var search = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId = dataset.GetProperty("id").GetString(),
            budget = new { maxTrials = 8, maxMinutes = 10, maxEpochsPerTrial = 3 },
            algorithm = "asha",
            seed = 21,
        }, HttpStatusCode.Created);
        var searchId = search.GetProperty("id").GetString()!;

        var done = await api.WaitForSearchEndAsync(searchId, seconds: 300);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        var trials = (await api.GetJsonAsync($"/api/v1/searches/{searchId}/trials")).EnumerateArray().ToList();
        Assert.Equal(8, trials.Count);
        var pruned = trials.Where(t => t.GetProperty("status").GetString() == "pruned").ToList();
        Assert.NotEmpty(pruned);
        Assert.All(pruned, t =>
        {
            Assert.StartsWith("Stopped at epoch 1", t.GetProperty("error").GetString());
            Assert.Single(t.GetProperty("epochs").EnumerateArray());
        });
        Assert.Equal(pruned.Count, done.GetProperty("trialsPruned").GetInt32());
        Assert.Contains(trials, t => t.GetProperty("status").GetString() == "completed" && t.GetProperty("epochs").GetArrayLength() == 3);
    }
}
