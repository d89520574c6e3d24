using System.IO.Compression;
using System.Net;
using System.Text.Json;
using AutoMLStudio.Engine.Data;
using AutoMLStudio.Engine.Devices;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Training;
using Microsoft.AspNetCore.SignalR.Client;

namespace AutoMLStudio.Web.Tests;

[Collection(StudioCollection.Name)]
public sealed class ApiJourneyTests(StudioApp app)
{
    [Fact]
    public async Task Upload_train_register_and_download_through_the_api_with_live_hub_events()
    {
        var api = app.Api();
        var zip = TestImages.ClassFolderZip(perClass: 30, extra: z => TestImages.Add(z, "shapes/checker/broken.png", "not a png"u8.ToArray()));

        var dataset = await api.ImportAsync(zip, "Stripes");
        Assert.Equal("ready", dataset.GetProperty("status").GetString());
        Assert.Equal("image", dataset.GetProperty("kind").GetString());
        Assert.Equal(90, dataset.GetProperty("itemCount").GetInt32());
        Assert.Equal(TestImages.Classes, dataset.GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.All(dataset.GetProperty("classes").EnumerateArray(), c => Assert.Equal(30, c.GetProperty("count").GetInt32()));
        var skipped = dataset.GetProperty("quality").GetProperty("skippedDetails").EnumerateArray().Single();
        Assert.Equal("shapes/checker/broken.png", skipped.GetProperty("file").GetString());

        var datasetId = dataset.GetProperty("id").GetString()!;
        var items = await api.GetJsonAsync($"/api/v1/datasets/{datasetId}/items?label=vertical&take=5");
        Assert.Equal(30, items.GetProperty("total").GetInt32());
        Assert.Equal(5, items.GetProperty("items").GetArrayLength());

        await using var hub = await app.ConnectHubAsync("/hubs/searches");
        var events = new List<(string Name, JsonElement Payload)>();
        foreach (var name in new[] { "trialStarted", "epochCompleted", "trialCompleted", "searchCompleted" })
            hub.On<JsonElement>(name, payload => { lock (events) events.Add((name, payload)); });

        var search = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId,
            objective = new { metric = "accuracy" },
            budget = new { maxTrials = 3, maxMinutes = 10, maxEpochsPerTrial = 3 },
            algorithm = "random",
            seed = 11,
        }, HttpStatusCode.Created);
        var searchId = search.GetProperty("id").GetString()!;
        Assert.Equal("queued", search.GetProperty("status").GetString());
        await hub.InvokeAsync("JoinSearch", Guid.Parse(searchId));

        var done = await api.WaitForSearchEndAsync(searchId);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(3, done.GetProperty("trialsCompleted").GetInt32());
        var best = done.GetProperty("best");
        Assert.True(best.GetProperty("testAccuracy").GetDouble() >= 0.8, $"test accuracy {best.GetProperty("testAccuracy")}");
        Assert.Equal(3, best.GetProperty("confusionMatrix").GetArrayLength());

        var trials = await api.GetJsonAsync($"/api/v1/searches/{searchId}/trials");
        Assert.Equal(3, trials.GetArrayLength());
        Assert.All(trials.EnumerateArray(), t =>
        {
            Assert.Equal("completed", t.GetProperty("status").GetString());
            Assert.Equal([1, 2, 3], t.GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("epoch").GetInt32()));
            Assert.True(t.GetProperty("params").GetInt64() > 0);
            Assert.True(t.GetProperty("latencyMs").GetDouble() > 0);
        });

        await StudioAppExtensions.WaitUntilAsync(() => { lock (events) return events.Any(e => e.Name == "searchCompleted"); }, "searchCompleted");
        lock (events)
        {
            Assert.Contains(events, e => e.Name == "epochCompleted" && e.Payload.GetProperty("searchId").GetString() == searchId);
            Assert.Contains(events, e => e.Name == "trialCompleted" && e.Payload.GetProperty("number").GetInt32() == 3);
        }

        var bestTrialId = done.GetProperty("bestTrialId").GetString();
        var model = await api.PostJsonAsync("/api/v1/models", new { trialId = bestTrialId, name = "stripes-detector" }, HttpStatusCode.Created);
        Assert.Equal(1, model.GetProperty("version").GetInt32());
        var again = await api.PostJsonAsync("/api/v1/models", new { trialId = bestTrialId, name = "stripes-detector" }, HttpStatusCode.Created);
        Assert.Equal(2, again.GetProperty("version").GetInt32());
        var modelId = model.GetProperty("id").GetString();
        Assert.Equal(modelId, again.GetProperty("id").GetString());

        var listed = await api.GetJsonAsync($"/api/v1/models/{modelId}");
        Assert.Equal(2, listed.GetProperty("latestVersion").GetInt32());

        var download = await api.GetAsync($"/api/v1/models/{modelId}/download?format=torchsharp&version=1");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/zip", download.Content.Headers.ContentType?.MediaType);
        await AssertDownloadedModelPredictsAsync(await download.Content.ReadAsByteArrayAsync());
    }

    // The zip must be usable outside the studio: rebuild the network from model.json, load weights.dat, and classify
    // freshly generated images of each class.
    private static async Task AssertDownloadedModelPredictsAsync(byte[] zipBytes)
    {
        var folder = Directory.CreateTempSubdirectory("amls-download-").FullName;
        try
        {
            using (var zip = new ZipArchive(new MemoryStream(zipBytes))) zip.ExtractToDirectory(folder);
            var card = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "model.json"))).RootElement;
            var classes = card.GetProperty("classes").EnumerateArray().Select(c => c.GetString()!).ToList();
            Assert.Equal(TestImages.Classes, classes);
            var config = card.GetProperty("configuration").Deserialize<TrialConfig>(EngineJson.Options)!;
            var input = card.GetProperty("input");
            var (channels, size) = (input.GetProperty("channels").GetInt32(), input.GetProperty("height").GetInt32());

            var labels = Enumerable.Range(0, 30).Select(i => i % 3).ToArray();
            var pixels = labels.SelectMany((label, i) => ImageDecoder.DecodeToChw(TestImages.Png(classes[label], 900_000 + i), channels, size)).ToArray();
            var result = ImageClassifierTrainer.Evaluate(config.Architecture, Path.Combine(folder, "weights.dat"),
                new ImageTensorData(pixels, labels, channels, size), DeviceDetector.Resolve("cpu"));
            Assert.True(result.Accuracy >= 0.8, $"downloaded model accuracy {result.Accuracy}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
