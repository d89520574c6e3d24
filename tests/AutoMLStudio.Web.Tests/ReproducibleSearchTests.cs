using System.Net;
using System.Text.Json;
using AutoMLStudio.Core;

namespace AutoMLStudio.Web.Tests;

/// <summary>A search given a seed replays exactly, even where unseeded searches pack a trial per core.</summary>
[Collection(StudioCollection.Name)]
public sealed class ReproducibleSearchTests(StudioApp app)
{
    [Fact]
    public async Task The_same_seed_proposes_the_same_trials_and_reaches_the_same_metrics()
    {
        var api = app.Api();
        var dataset = await api.ImportAsync(TestImages.ClassFolderZip(perClass: 8), "replay");

        var first = await RunAsync(api, dataset);
        var second = await RunAsync(api, dataset);

        Assert.Equal(3, first.Count);
        Assert.Equal(first.Select(t => t.Config), second.Select(t => t.Config));
        Assert.Equal(first.Select(t => t.ValLosses), second.Select(t => t.ValLosses));
    }

    [Fact]
    public void Seeded_searches_run_one_trial_on_every_core_and_unseeded_ones_pack_a_trial_per_core()
    {
        var training = new TrainingOptions();

        Assert.Equal((1, Environment.ProcessorCount), (training.SlotsFor(reproducible: true), training.ThreadsFor(reproducible: true)));
        Assert.Equal((Environment.ProcessorCount, 1), (training.SlotsFor(reproducible: false), training.ThreadsFor(reproducible: false)));
    }

    private sealed record TrialRun(int Number, string Config, double[] ValLosses);

    private static async Task<List<TrialRun>> RunAsync(HttpClient api, JsonElement dataset)
    {
        var search = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId = dataset.GetProperty("id").GetString(),
            budget = new { maxTrials = 3, maxMinutes = 5, maxEpochsPerTrial = 2 },
            algorithm = "tpe",
            seed = 11,
        }, HttpStatusCode.Created);
        var id = search.GetProperty("id").GetString()!;
        Assert.Equal("completed", (await api.WaitForSearchEndAsync(id)).GetProperty("status").GetString());
        var trials = await api.GetJsonAsync($"/api/v1/searches/{id}/trials");
        return [.. trials.EnumerateArray().Select(t => new TrialRun(
            t.GetProperty("number").GetInt32(),
            t.GetProperty("config").GetRawText(),
            [.. t.GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("valLoss").GetDouble())]))
            .OrderBy(t => t.Number)];
    }
}
