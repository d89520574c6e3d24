using System.Net;
using System.Text.Json;

namespace AutoMLStudio.Web.Tests;

/// <summary>Which model to ship: every completed search's best model ranked, only against searches whose numbers compare.</summary>
[Collection(StudioCollection.Name)]
public sealed class LeaderboardTests(StudioApp app)
{
    private static readonly double[][] Cost = [[0, 1, 1], [1, 0, 1], [5, 1, 0]];

    private async Task<string> SearchAsync(HttpClient api, string datasetId, int seed, object? objective = null)
    {
        var search = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId, objective, seed, algorithm = "random",
            budget = new { maxTrials = 1, maxMinutes = 5, maxEpochsPerTrial = 1 },
        }, HttpStatusCode.Created);
        var id = search.GetProperty("id").GetString()!;
        Assert.Equal("completed", (await api.WaitForSearchEndAsync(id)).GetProperty("status").GetString());
        return id;
    }

    [Fact]
    public async Task Searches_rank_by_test_metric_within_groups_of_the_same_dataset_metric_and_cost_matrix()
    {
        var api = app.Api();
        var first = (await api.ImportAsync(TestImages.ClassFolderZip(perClass: 6), "board one")).GetProperty("id").GetString()!;
        var second = (await api.ImportAsync(TestImages.ClassFolderZip(perClass: 6), "board two")).GetProperty("id").GetString()!;
        var accuracySearches = new[] { await SearchAsync(api, first, seed: 1), await SearchAsync(api, first, seed: 2) };
        var costSearch = await SearchAsync(api, first, seed: 3, new { metric = "cost", costMatrix = Cost });
        var elsewhere = await SearchAsync(api, second, seed: 4);
        var registered = await api.PostJsonAsync("/api/v1/models", new
        {
            trialId = (await api.GetJsonAsync($"/api/v1/searches/{accuracySearches[0]}")).GetProperty("bestTrialId").GetString(), name = "board pick",
        }, HttpStatusCode.Created);

        var board = (await api.GetJsonAsync($"/api/v1/leaderboard?datasetId={first}")).EnumerateArray().ToList();

        Assert.Equal(["accuracy", "cost"], board.Select(g => g.GetProperty("metric").GetString()));
        Assert.All(board, g => Assert.Equal(first, g.GetProperty("datasetId").GetString()));
        var accuracy = board[0].GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(accuracySearches.Order(), accuracy.Select(e => e.GetProperty("searchId").GetString()).Order());
        Assert.Equal([1, 2], accuracy.Select(e => e.GetProperty("rank").GetInt32()));
        Assert.True(accuracy[0].GetProperty("testValue").GetDouble() >= accuracy[1].GetProperty("testValue").GetDouble());
        foreach (var entry in accuracy)
        {
            var search = await api.GetJsonAsync($"/api/v1/searches/{entry.GetProperty("searchId").GetString()}");
            Assert.Equal(search.GetProperty("best").GetProperty("test").GetProperty("value").GetDouble(), entry.GetProperty("testValue").GetDouble());
            Assert.Equal(search.GetProperty("bestTrialId").GetString(), entry.GetProperty("trialId").GetString());
        }
        Assert.Equal("board pick v1", accuracy.Single(e => e.GetProperty("searchId").GetString() == accuracySearches[0]).GetProperty("registeredAs").GetString());
        Assert.False(board[0].GetProperty("lowerIsBetter").GetBoolean());
        Assert.True(board[1].GetProperty("lowerIsBetter").GetBoolean());
        Assert.Equal(costSearch, board[1].GetProperty("entries")[0].GetProperty("searchId").GetString());
        Assert.Equal(JsonValueKind.Array, board[1].GetProperty("costMatrix").ValueKind);
        Assert.Equal(1, registered.GetProperty("version").GetInt32());

        var everywhere = (await api.GetJsonAsync("/api/v1/leaderboard")).EnumerateArray()
            .SelectMany(g => g.GetProperty("entries").EnumerateArray()).Select(e => e.GetProperty("searchId").GetString()).ToList();
        Assert.Contains(elsewhere, everywhere);
        Assert.Contains(costSearch, everywhere);
    }

    [Fact]
    public async Task A_dataset_without_completed_searches_has_an_empty_board()
    {
        var api = app.Api();
        var dataset = (await api.ImportAsync(TestImages.ClassFolderZip(perClass: 4), "board empty")).GetProperty("id").GetString();

        Assert.Equal(0, (await api.GetJsonAsync($"/api/v1/leaderboard?datasetId={dataset}")).GetArrayLength());
        Assert.Equal(0, (await api.GetJsonAsync($"/api/v1/leaderboard?datasetId={Guid.NewGuid()}")).GetArrayLength());
    }

    [Fact]
    public async Task A_dataset_id_that_is_not_an_id_is_a_400_problem()
    {
        var response = await app.Api().GetAsync("/api/v1/leaderboard?datasetId=%3Cscript%3E");

        (await response.JsonAsync(HttpStatusCode.BadRequest)).AssertProblem(400, "");
    }
}
