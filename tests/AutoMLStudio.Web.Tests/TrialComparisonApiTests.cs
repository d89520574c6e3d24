using System.Net;

namespace AutoMLStudio.Web.Tests;

[Collection(StudioCollection.Name)]
public sealed class TrialComparisonApiTests(StudioApp app)
{
    [Fact]
    public async Task Comparing_trials_lines_up_their_settings_marks_differences_and_refuses_bad_trial_lists()
    {
        var api = app.Api();
        var dataset = await api.ImportAsync(TestImages.ClassFolderZip(perClass: 8), "compare");
        var search = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId = dataset.GetProperty("id").GetString(),
            budget = new { maxTrials = 3, maxMinutes = 10, maxEpochsPerTrial = 1 },
            algorithm = "random",
            seed = 5,
        }, HttpStatusCode.Created);
        var id = search.GetProperty("id").GetString()!;
        Assert.Equal("completed", (await api.WaitForSearchEndAsync(id)).GetProperty("status").GetString());

        var comparison = await api.GetJsonAsync($"/api/v1/searches/{id}/compare?trials=3,1");

        Assert.Equal([1, 3], comparison.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("number").GetInt32()));
        var settings = comparison.GetProperty("settings").EnumerateArray().ToList();
        Assert.Contains(settings, s => s.GetProperty("name").GetString() == "Learning rate" && s.GetProperty("group").GetString() == "training");
        Assert.All(settings, s => Assert.Equal(2, s.GetProperty("values").GetArrayLength()));
        foreach (var setting in settings)
        {
            var values = setting.GetProperty("values").EnumerateArray().Select(v => v.ToString()).ToList();
            Assert.Equal(values[0] != values[1], setting.GetProperty("differs").GetBoolean());
        }
        Assert.Contains(settings, s => s.GetProperty("differs").GetBoolean());

        (await (await api.GetAsync($"/api/v1/searches/{id}/compare?trials=1")).JsonAsync(HttpStatusCode.BadRequest)).AssertProblem(400, "too few");
        var unknown = await (await api.GetAsync($"/api/v1/searches/{id}/compare?trials=1,9")).JsonAsync(HttpStatusCode.BadRequest);
        unknown.AssertProblem(400, "unknown trials");
        Assert.Contains("no trial 9", unknown.GetProperty("detail").GetString());
        (await (await api.GetAsync($"/api/v1/searches/{Guid.NewGuid()}/compare?trials=1,2")).JsonAsync(HttpStatusCode.NotFound)).AssertProblem(404, "not found");
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Api(apiKey: null).GetAsync($"/api/v1/searches/{id}/compare?trials=1,2")).StatusCode);
    }
}
