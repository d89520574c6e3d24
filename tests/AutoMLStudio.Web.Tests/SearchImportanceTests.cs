using System.Net;
using System.Text.Json;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoMLStudio.Web.Tests;

/// <summary>A team lead asks which settings mattered in a search: too early, the answer says how many trials it needs.</summary>
[Collection(StudioCollection.Name)]
public sealed class SearchImportanceTests(StudioApp app)
{
    [Fact]
    public async Task Importance_needs_five_completed_trials_then_ranks_the_setting_that_drove_the_metric_first()
    {
        var api = app.Api();
        var dataset = await api.ImportAsync(TestImages.ClassFolderZip(perClass: 6), "importance");
        var started = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId = dataset.GetProperty("id").GetString(),
            budget = new { maxTrials = 2, maxMinutes = 5, maxEpochsPerTrial = 1 },
        }, HttpStatusCode.Created);
        var id = Guid.Parse(started.GetProperty("id").GetString()!);
        await api.WaitForSearchEndAsync(id.ToString());

        var early = await api.GetJsonAsync($"/api/v1/searches/{id}/importance");

        Assert.Equal("too_few_trials", early.GetProperty("status").GetString());
        Assert.Equal(5, early.GetProperty("minimumTrials").GetInt32());
        Assert.InRange(early.GetProperty("trialsUsed").GetInt32(), 1, 2);
        Assert.Empty(early.GetProperty("parameters").EnumerateArray());

        // Twenty-eight more finished trials from the search's own space, whose accuracy followed the base width alone.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<StudioDbContext>();
            var search = await db.Searches.SingleAsync(s => s.Id == id);
            var context = search.SpaceContext();
            var space = CnnParameterSpace.Create(context);
            var rng = new Random(5);
            for (var number = 3; number <= 30; number++)
            {
                var point = space.Sample(rng);
                db.Trials.Add(new Trial
                {
                    SearchId = id, Number = number, Status = TrialStatus.Completed,
                    ConfigJson = JsonSerializer.Serialize(CnnParameterSpace.Decode(point, context), EngineJson.Options),
                    ValMetric = 0.5 + int.Parse(point.GetString("baseWidth"), System.Globalization.CultureInfo.InvariantCulture) / 200.0,
                });
            }
            await db.SaveChangesAsync();
        }

        var estimated = await api.GetJsonAsync($"/api/v1/searches/{id}/importance");

        Assert.Equal("estimated", estimated.GetProperty("status").GetString());
        Assert.Equal("accuracy", estimated.GetProperty("metric").GetString());
        var parameters = estimated.GetProperty("parameters").EnumerateArray().ToList();
        Assert.Equal(CnnParameterSpace.Create(new SearchSpaceContext(1, 16, 3, [0f], [1f], 1)).Dimensions.Count, parameters.Count);
        Assert.Equal("baseWidth", parameters[0].GetProperty("name").GetString());
        Assert.All(parameters, p => Assert.InRange(p.GetProperty("share").GetDouble(), 0, 1));
        Assert.InRange(estimated.GetProperty("mainEffectsShare").GetDouble(), parameters[0].GetProperty("share").GetDouble(), 1);
    }

    [Fact]
    public async Task Importance_of_an_unknown_search_is_a_404_problem()
    {
        (await (await app.Api().GetAsync($"/api/v1/searches/{Guid.NewGuid()}/importance")).JsonAsync(HttpStatusCode.NotFound)).AssertProblem(404, "not found");
    }
}
