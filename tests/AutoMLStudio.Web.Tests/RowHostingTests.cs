using System.IO.Compression;
using System.Net;
using System.Text.Json;

namespace AutoMLStudio.Web.Tests;

/// <summary>Tabular and text models registered with ONNX and preprocessing, deployed, and predicting JSON instances.</summary>
[Collection(StudioCollection.Name)]
public sealed class RowHostingTests(StudioApp app)
{
    private async Task<(string ModelId, JsonElement Endpoint)> DeployAsync(byte[] csv, Dictionary<string, string> fields, string name) =>
        (await TrainAndDeployAsync(csv, fields, name, epochs: 3)) is var (modelId, endpoint, _) ? (modelId, endpoint) : default;

    private async Task<(string ModelId, JsonElement Endpoint, JsonElement Search)> TrainAndDeployAsync(
        byte[] csv, Dictionary<string, string> fields, string name, int epochs)
    {
        var api = app.Api();
        var dataset = await api.ImportFileAsync(csv, "rows.csv", name, fields);
        var search = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId = dataset.GetProperty("id").GetString(), seed = 5, algorithm = "random",
            budget = new { maxTrials = 1, maxMinutes = 5, maxEpochsPerTrial = epochs },
        }, HttpStatusCode.Created);
        var done = await api.WaitForSearchEndAsync(search.GetProperty("id").GetString()!);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        var model = await api.PostJsonAsync("/api/v1/models", new { trialId = done.GetProperty("bestTrialId").GetString(), name }, HttpStatusCode.Created);
        var modelId = model.GetProperty("id").GetString()!;
        return (modelId, await api.PostJsonAsync("/api/v1/endpoints", new { modelId, name }, HttpStatusCode.Created), done);
    }

    [Fact]
    public async Task A_tabular_classifier_predicts_rows_with_probabilities_and_names_missing_columns()
    {
        var api = app.Api();
        var (modelId, endpoint) = await DeployAsync(RowSearchTests.ColourTable(60), new() { ["labelColumn"] = "label" }, "colour rows");
        var url = endpoint.GetProperty("predictUrl").GetString()!;
        Assert.Contains("colour", endpoint.GetProperty("accepts").GetString());

        var answer = await api.PostJsonAsync(url, new
        {
            instances = new object[]
            {
                new Dictionary<string, object?> { ["colour"] = "red", ["size"] = 3.5 },
                new Dictionary<string, object?> { ["colour"] = "blue", ["size"] = "7", ["extra"] = "ignored" },
                new Dictionary<string, object?> { ["colour"] = null, ["size"] = null },
                new Dictionary<string, object?> { ["colour"] = "purple", ["size"] = 1 },
            },
        }, HttpStatusCode.OK);
        var predictions = answer.GetProperty("predictions").EnumerateArray().ToList();
        Assert.Equal(4, predictions.Count);
        Assert.All(predictions, p =>
        {
            var scores = p.GetProperty("scores").EnumerateObject().ToDictionary(s => s.Name, s => s.Value.GetDouble());
            Assert.Equal(["cold", "fresh", "warm"], scores.Keys.Order());
            Assert.Equal(1.0, scores.Values.Sum(), 4);
            Assert.Equal(scores.MaxBy(s => s.Value).Key, p.GetProperty("label").GetString());
        });
        Assert.Equal("warm", predictions[0].GetProperty("label").GetString());
        Assert.Equal("cold", predictions[1].GetProperty("label").GetString());

        (await api.PostJsonAsync(url, new { instances = new[] { new { colour = "red" } } }, HttpStatusCode.BadRequest)).AssertProblem(400, "Columns missing");
        (await api.PostJsonAsync(url, new { instances = new[] { 5 } }, HttpStatusCode.BadRequest)).AssertProblem(400, "not an object");
        (await api.PostJsonAsync(url, new { instances = new[] { new { colour = new[] { 1 }, size = 2 } } }, HttpStatusCode.BadRequest))
            .AssertProblem(400, "Cell not a value");
        (await api.PostJsonAsync(url, new { instances = Array.Empty<object>() }, HttpStatusCode.BadRequest)).AssertProblem(400, "No instances");
        (await (await api.PostAsync(url, new MultipartFormDataContent { { new ByteArrayContent(TestImages.Png("checker", 1)), "file", "a.png" } }))
            .JsonAsync(HttpStatusCode.UnsupportedMediaType)).AssertProblem(415, "Images not accepted");

        var bundle = new ZipArchive(new MemoryStream(await api.GetByteArrayAsync($"/api/v1/models/{modelId}/download?format=bundle")));
        Assert.Equal(["README.md", "labels.txt", "model.json", "model.onnx", "preprocessing.json"], bundle.Entries.Select(e => e.FullName).Order());

        var id = endpoint.GetProperty("id").GetString();
        var csv = "colour,size,note\nred,3.5,=HYPERLINK(1)\nblue,7\n\"green\",\"2\",\"a, b\"\n";
        var started = await (await api.PostAsync($"/api/v1/endpoints/{id}/batches",
            new MultipartFormDataContent { { new StringContent(csv), "file", "rows.csv" } })).JsonAsync(HttpStatusCode.Accepted);
        var done = await api.WaitForAsync($"/api/v1/endpoints/{id}/batches/{started.GetProperty("id").GetString()}",
            b => b.GetProperty("status").GetString() is "completed" or "failed", TimeSpan.FromSeconds(60));
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(3, done.GetProperty("total").GetInt32());
        var lines = (await api.GetStringAsync(done.GetProperty("resultsUrl").GetString())).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("colour,size,note,label,score,p_cold,p_fresh,p_warm,error", lines[0]);
        Assert.StartsWith("red,3.5,'=HYPERLINK(1),warm,", lines[1]);
        Assert.StartsWith("\"green\",2,\"a, b\",".Replace("\"green\"", "green"), lines[3]);

        var missing = await (await api.PostAsync($"/api/v1/endpoints/{id}/batches",
            new MultipartFormDataContent { { new StringContent("colour\nred\n"), "file", "rows.csv" } })).JsonAsync(HttpStatusCode.Accepted);
        var partial = await api.WaitForAsync($"/api/v1/endpoints/{id}/batches/{missing.GetProperty("id").GetString()}",
            b => b.GetProperty("status").GetString() is "completed" or "failed", TimeSpan.FromSeconds(60));
        Assert.Equal(1, partial.GetProperty("failed").GetInt32());
        Assert.Contains("lacks the column \"\"size\"\"", await api.GetStringAsync(partial.GetProperty("resultsUrl").GetString()));
    }

    [Fact]
    public async Task A_tabular_regression_predicts_values_in_the_labels_units()
    {
        var (_, endpoint) = await DeployAsync(RowSearchTests.LinearTable(60), new() { ["labelColumn"] = "y" }, "linear rows");
        var answer = await app.Api().PostJsonAsync(endpoint.GetProperty("predictUrl").GetString()!, new
        {
            instances = new[] { new { x1 = 1.5, x2 = -1.0 }, new { x1 = -1.5, x2 = 1.0 } },
        }, HttpStatusCode.OK);
        var values = answer.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("value").GetDouble()).ToList();
        // y = 3 x1 - 2 x2: 6.5 and -6.5; a three-epoch network gets the sign and most of the size right.
        Assert.True(values[0] > 2, $"predicted {values[0]}");
        Assert.True(values[1] < -2, $"predicted {values[1]}");
        Assert.All(answer.GetProperty("predictions").EnumerateArray(), p => Assert.False(p.TryGetProperty("label", out _)));
    }

    [Fact]
    public async Task A_text_classifier_predicts_texts_and_refuses_instances_without_text()
    {
        var api = app.Api();
        var (_, endpoint, search) = await TrainAndDeployAsync(RowSearchTests.Reviews(80), new() { ["textColumn"] = "text", ["labelColumn"] = "label" },
            "review texts", epochs: 10);
        var url = endpoint.GetProperty("predictUrl").GetString()!;
        var texts = Enumerable.Range(500, 10).Select(i => i % 2 == 0 ? $"the box was great, really great {i}" : $"the box was awful, really awful {i}").ToList();
        var answer = await api.PostJsonAsync(url, new { instances = texts.Select(t => new { text = t }).Append(new { text = "" }) }, HttpStatusCode.OK);
        var labels = answer.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("label").GetString()).ToList();
        Assert.Equal(11, labels.Count);
        // The endpoint must read texts as training did: a model that learned the task in the search gets new texts right here too.
        var learned = search.GetProperty("best").GetProperty("testAccuracy").GetDouble();
        var right = labels.Take(10).Where((label, i) => label == (i % 2 == 0 ? "good" : "bad")).Count();
        if (learned >= 0.9) Assert.True(right >= 8, $"test accuracy {learned:P0} in the search, but {right}/10 through the endpoint");
        (await api.PostJsonAsync(url, new { instances = new[] { new { body = "great" } } }, HttpStatusCode.BadRequest)).AssertProblem(400, "Text missing");
    }
}
