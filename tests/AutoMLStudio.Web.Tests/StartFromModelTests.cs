using System.Net;
using System.Text.Json;

namespace AutoMLStudio.Web.Tests;

/// <summary>
/// A search on a new dataset starts from a registered image model: same network and weights, a new output layer for
/// the new classes, and only training settings and how much of the network learns are searched.
/// </summary>
[Collection(StudioCollection.Name)]
public sealed class StartFromModelTests(StudioApp app)
{
    [Fact]
    public async Task A_search_on_new_classes_starts_from_a_registered_model_and_fine_tunes_it_to_completion()
    {
        var api = app.Api();
        var (modelId, sourceArchitecture) = await RegisteredModelAsync(api);
        // Two new classes with other names: the output layer is new, the rest comes from the model.
        var rows = Enumerable.Range(0, 20).Select(i => ($"two/rows/r{i}.png", TestImages.Png("horizontal", 500 + i)));
        var columns = Enumerable.Range(0, 20).Select(i => ($"two/columns/c{i}.png", TestImages.Png("vertical", 700 + i)));
        var dataset = await api.ImportAsync(TestImages.Zip([.. rows, .. columns]), "two new classes");

        var search = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId = dataset.GetProperty("id").GetString(), seed = 11,
            budget = new { maxTrials = 3, maxMinutes = 10, maxEpochsPerTrial = 3 },
            startFrom = new { modelId },
        }, HttpStatusCode.Created);
        var searchId = search.GetProperty("id").GetString()!;
        Assert.Matches("^Starts from start point [0-9a-f]+ v1: its network and what it learned are kept", search.GetProperty("algorithmReason").GetString());
        Assert.Equal("random", search.GetProperty("algorithm").GetString());
        Assert.False(string.IsNullOrEmpty(search.GetProperty("startFromModelVersionId").GetString()));

        var done = await api.WaitForSearchEndAsync(searchId);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        var trials = (await api.GetJsonAsync($"/api/v1/searches/{searchId}/trials")).EnumerateArray().ToList();
        Assert.Equal(3, trials.Count);
        foreach (var trial in trials)
        {
            var architecture = trial.GetProperty("config").GetProperty("architecture");
            Assert.Equal(2, architecture.GetProperty("classCount").GetInt32());
            Assert.Equal(sourceArchitecture.GetProperty("blocks").GetRawText(), architecture.GetProperty("blocks").GetRawText());
            Assert.Equal(sourceArchitecture.GetProperty("stages").GetRawText(), architecture.GetProperty("stages").GetRawText());
            Assert.Equal(sourceArchitecture.GetProperty("inputSize").GetInt32(), architecture.GetProperty("inputSize").GetInt32());
            Assert.Contains(trial.GetProperty("config").GetProperty("fineTune").GetProperty("train").GetString(), new[] { "full", "head" });
        }
        // What fine-tuning buys is measured by the transfer benchmark and FineTuningTests; these few images take a handful of steps.
        Assert.Equal(["columns", "rows"], done.GetProperty("best").GetProperty("test").GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task Unknown_models_other_algorithms_and_table_datasets_are_refused_with_a_reason()
    {
        var api = app.Api();
        var (modelId, _) = await RegisteredModelAsync(api);
        var images = await api.ImportAsync(TestImages.ClassFolderZip(perClass: 6), "refused starts");
        var table = await api.ImportFileAsync("size,colour\n1,red\n2,blue\n3,red\n4,blue\n5,red\n6,blue\n"u8.ToArray(), "rows.csv", "refused table",
            new Dictionary<string, string> { ["labelColumn"] = "colour" });

        async Task<JsonElement> StartAsync(string datasetId, object startFrom, string? algorithm = null, HttpStatusCode expected = HttpStatusCode.BadRequest) =>
            await (await api.PostAsync("/api/v1/searches", JsonContent(new { datasetId, algorithm, startFrom, budget = new { maxTrials = 1 } })))
                .JsonAsync(expected);

        (await StartAsync(images.GetProperty("id").GetString()!, new { modelId = Guid.NewGuid() }, expected: HttpStatusCode.NotFound))
            .AssertProblem(404, "Model version not found");
        (await StartAsync(images.GetProperty("id").GetString()!, new { modelId, version = 9 }, expected: HttpStatusCode.NotFound))
            .AssertProblem(404, "Model version not found");
        var tpe = await StartAsync(images.GetProperty("id").GetString()!, new { modelId }, "tpe");
        tpe.AssertProblem(400, "Algorithm not available");
        Assert.Contains("use 'auto' or 'random'", tpe.GetProperty("detail").GetString());
        var tabular = await StartAsync(table.GetProperty("id").GetString()!, new { modelId });
        tabular.AssertProblem(400, "Model cannot start this search");
        Assert.Contains("holds tabular data", tabular.GetProperty("detail").GetString());
    }

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    /// <summary>A small image search's best trial registered as "start point", with its architecture.</summary>
    private async Task<(string ModelId, JsonElement Architecture)> RegisteredModelAsync(HttpClient api)
    {
        var dataset = await api.ImportAsync(TestImages.ClassFolderZip(perClass: 12), "start point source");
        var search = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId = dataset.GetProperty("id").GetString(), seed = 3, algorithm = "random",
            budget = new { maxTrials = 1, maxMinutes = 10, maxEpochsPerTrial = 3 },
        }, HttpStatusCode.Created);
        var done = await api.WaitForSearchEndAsync(search.GetProperty("id").GetString()!);
        var bestTrialId = done.GetProperty("bestTrialId").GetString();
        var trial = (await api.GetJsonAsync($"/api/v1/searches/{search.GetProperty("id").GetString()}/trials")).EnumerateArray()
            .Single(t => t.GetProperty("id").GetString() == bestTrialId);
        var model = await api.PostJsonAsync("/api/v1/models", new { trialId = bestTrialId, name = $"start point {Guid.NewGuid():N}"[..20] }, HttpStatusCode.Created);
        return (model.GetProperty("id").GetString()!, trial.GetProperty("config").GetProperty("architecture").Clone());
    }
}
