using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;

namespace AutoMLStudio.Web.Tests;

/// <summary>Budgets mean what they say: no hidden limits, the minutes are spent, and the search says which limit ended it.</summary>
[Collection(StudioCollection.Name)]
public sealed class BudgetTests
{
    [Fact]
    public async Task A_minutes_only_search_keeps_proposing_trials_until_its_time_is_spent()
    {
        await using var app = new StudioApp();
        app.UseKestrel(0);
        app.StartServer();
        using var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StudioApp.AdminKey);
        var dataset = await api.ImportFileAsync(RowSearchTests.ColourTable(30), "colours.csv", "colours", new Dictionary<string, string> { ["labelColumn"] = "label" });

        var created = await api.PostJsonAsync("/api/v1/searches",
            new { datasetId = dataset.GetProperty("id").GetString(), budget = new { maxMinutes = 0.4 } }, HttpStatusCode.Created);
        var done = await api.WaitForSearchEndAsync(created.GetProperty("id").GetString()!, seconds: 120);

        Assert.Equal("completed", done.GetProperty("status").GetString());
        var budget = done.GetProperty("budget");
        Assert.Equal(JsonValueKind.Null, budget.GetProperty("maxTrials").ValueKind);
        Assert.Equal(JsonValueKind.Null, budget.GetProperty("maxEpochsPerTrial").ValueKind);
        Assert.Equal(0.4, budget.GetProperty("maxMinutes").GetDouble());
        Assert.True(done.GetProperty("trialsTotal").GetInt32() > 6, $"only {done.GetProperty("trialsTotal")} trials in 0.4 minutes");
        var seconds = (done.GetProperty("completedAt").GetDateTimeOffset() - done.GetProperty("startedAt").GetDateTimeOffset()).TotalSeconds;
        Assert.InRange(seconds, 0.9 * 24, 24 + 10);
        var reason = done.GetProperty("endReason");
        Assert.Equal("minutes", reason.GetProperty("code").GetString());
        Assert.StartsWith("Used its 0.4 minutes", reason.GetProperty("message").GetString());
        Assert.True(done.GetProperty("plan").GetProperty("epochsPerTrial").GetInt32() >= 1);
    }

    [Fact]
    public async Task A_converged_search_ends_early_and_says_why()
    {
        await using var studio = new StudioApp();
        await using var app = studio.WithWebHostBuilder(b => b
            .UseSetting("Studio:Training:Convergence:Trials", "3")
            .UseSetting("Studio:Training:Convergence:Minutes", "0")
            .UseSetting("Studio:Training:Convergence:MinImprovement", "0.5"));
        using var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StudioApp.AdminKey);
        var dataset = await api.ImportFileAsync(RowSearchTests.ColourTable(30), "colours.csv", "colours", new Dictionary<string, string> { ["labelColumn"] = "label" });

        var created = await api.PostJsonAsync("/api/v1/searches",
            new { datasetId = dataset.GetProperty("id").GetString(), budget = new { maxMinutes = 3, maxEpochsPerTrial = 2 } }, HttpStatusCode.Created);
        var done = await api.WaitForSearchEndAsync(created.GetProperty("id").GetString()!, seconds: 120);

        Assert.Equal("completed", done.GetProperty("status").GetString());
        var seconds = (done.GetProperty("completedAt").GetDateTimeOffset() - done.GetProperty("startedAt").GetDateTimeOffset()).TotalSeconds;
        Assert.True(seconds < 90, $"took {seconds:0} s of its 180");
        var reason = done.GetProperty("endReason");
        Assert.Equal("converged", reason.GetProperty("code").GetString());
        Assert.Contains("Converged: no trial improved validation accuracy by more than 50 points in the last 3 trials", reason.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Small_and_large_datasets_get_different_epochs_for_the_same_budget()
    {
        await using var app = new StudioApp();
        var api = app.Api();
        var fields = new Dictionary<string, string> { ["labelColumn"] = "label" };
        var small = await api.ImportFileAsync(RowSearchTests.ColourTable(30), "small.csv", "small", fields);
        var large = await api.ImportFileAsync(RowSearchTests.ColourTable(6000), "large.csv", "large", fields);

        var smallPlan = await api.GetJsonAsync($"/api/v1/datasets/{small.GetProperty("id").GetString()}/budget-estimate?maxMinutes=3");
        var largePlan = await api.GetJsonAsync($"/api/v1/datasets/{large.GetProperty("id").GetString()}/budget-estimate?maxMinutes=3");

        Assert.True(smallPlan.GetProperty("epochsPerTrial").GetInt32() > largePlan.GetProperty("epochsPerTrial").GetInt32(),
            $"small {smallPlan}, large {largePlan}");
        Assert.True(largePlan.GetProperty("expectedTrials").GetInt32() >= 1);
        Assert.True(smallPlan.GetProperty("defaultMinutes").GetDouble() >= 1);
        var unknown = await api.GetAsync($"/api/v1/datasets/{Guid.NewGuid()}/budget-estimate");
        (await unknown.JsonAsync(HttpStatusCode.NotFound)).AssertProblem(404, "not found");
        var bad = await api.GetAsync($"/api/v1/datasets/{small.GetProperty("id").GetString()}/budget-estimate?maxMinutes=-1");
        (await bad.JsonAsync(HttpStatusCode.BadRequest)).AssertProblem(400, "budget");
    }
}
