using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AutoMLStudio.Core.Identity;
using AutoMLStudio.Engine.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AutoMLStudio.Web.Tests;

/// <summary>
/// Registering with ONNX, downloading, deploying and predicting on a real server path with real ONNX Runtime:
/// the image model of one small search serves every test here.
/// </summary>
[Collection(StudioCollection.Name)]
public sealed class HostingTests(StudioApp app)
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static (string ModelId, string SearchId, string BestTrialId)? _model;

    private async Task<(string ModelId, string SearchId, string BestTrialId)> ImageModelAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_model is { } done) return done;
            var api = app.Api();
            var dataset = await api.ImportAsync(TestImages.ClassFolderZip(perClass: 8), "hosting stripes");
            var search = await api.PostJsonAsync("/api/v1/searches", new
            {
                datasetId = dataset.GetProperty("id").GetString(), algorithm = "random", seed = 3,
                budget = new { maxTrials = 1, maxMinutes = 5, maxEpochsPerTrial = 2 },
            }, HttpStatusCode.Created);
            var searchId = search.GetProperty("id").GetString()!;
            var finished = await api.WaitForSearchEndAsync(searchId);
            Assert.Equal("completed", finished.GetProperty("status").GetString());
            var bestTrialId = finished.GetProperty("bestTrialId").GetString()!;
            var model = await api.PostJsonAsync("/api/v1/models", new { trialId = bestTrialId, name = "hosted stripes" }, HttpStatusCode.Created);
            _model = (model.GetProperty("id").GetString()!, searchId, bestTrialId);
            return _model.Value;
        }
        finally
        {
            Gate.Release();
        }
    }

    private async Task<JsonElement> DeployAsync(HttpClient api, string modelId, string? name = null) =>
        await api.PostJsonAsync("/api/v1/endpoints", new { modelId, name = name ?? "stripes " + Guid.NewGuid().ToString("N")[..6] }, HttpStatusCode.Created);

    private static MultipartFormDataContent Files(params (string Name, byte[] Content)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, content) in files)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(part, "file", name);
        }
        return form;
    }

    private static byte[][] Shapes() => [.. TestImages.Classes.Select((c, i) => TestImages.Png(c, 777_000 + i))];

    [Fact]
    public async Task An_image_model_downloads_as_onnx_and_the_endpoint_predicts_what_onnx_runtime_outside_predicts()
    {
        var api = app.Api();
        var (modelId, _, _) = await ImageModelAsync();
        var model = await api.GetJsonAsync($"/api/v1/models/{modelId}");
        var version = model.GetProperty("versions")[0];
        Assert.Equal("none", version.GetProperty("stage").GetString());
        Assert.Equal(64, version.GetProperty("onnxSha256").GetString()!.Length);
        var card = version.GetProperty("card");
        Assert.True(card.GetProperty("latencyMs").GetDouble() > 0);
        Assert.Equal(3, card.GetProperty("metrics").GetProperty("testPerClass").GetArrayLength());

        var onnx = await api.GetByteArrayAsync($"/api/v1/models/{modelId}/download?format=onnx");
        var input = card.GetProperty("input");
        var (channels, size) = (input.GetProperty("channels").GetInt32(), input.GetProperty("height").GetInt32());
        var images = Shapes();
        using var session = new InferenceSession(onnx);
        var pixels = images.SelectMany(png => ImageDecoder.DecodeToChw(png, channels, size)).ToArray();
        using var outside = session.Run([NamedOnnxValue.CreateFromTensor("pixels", new DenseTensor<float>(pixels, [images.Length, channels, size, size]))]);
        var expected = outside[0].AsTensor<float>();

        var endpoint = await DeployAsync(api, modelId);
        Assert.Equal("active", endpoint.GetProperty("status").GetString());
        var predictUrl = endpoint.GetProperty("predictUrl").GetString()!;
        var classes = card.GetProperty("classes").EnumerateArray().Select(c => c.GetString()!).ToList();

        var multipart = await (await api.PostAsync(predictUrl, Files([.. images.Select((b, i) => ($"shape{i}.png", b))]))).JsonAsync(HttpStatusCode.OK);
        var base64 = await api.PostJsonAsync(predictUrl, new { images = images.Select(Convert.ToBase64String) }, HttpStatusCode.OK);
        foreach (var answer in new[] { multipart, base64 })
        {
            var predictions = answer.GetProperty("predictions").EnumerateArray().ToList();
            Assert.Equal(images.Length, predictions.Count);
            for (var i = 0; i < images.Length; i++)
            {
                var scores = predictions[i].GetProperty("scores");
                for (var k = 0; k < classes.Count; k++) Assert.Equal(expected[i, k], scores.GetProperty(classes[k]).GetDouble(), 5);
                var best = Enumerable.Range(0, classes.Count).MaxBy(k => expected[i, k]);
                Assert.Equal(classes[best], predictions[i].GetProperty("label").GetString());
                Assert.Equal(expected[i, best], predictions[i].GetProperty("score").GetDouble(), 5);
            }
        }

        var bundle = new ZipArchive(new MemoryStream(await api.GetByteArrayAsync($"/api/v1/models/{modelId}/download?format=bundle")));
        Assert.Equal(["README.md", "labels.txt", "model.json", "model.onnx"], bundle.Entries.Select(e => e.FullName).Order());
        using (var readme = new StreamReader(bundle.GetEntry("README.md")!.Open()))
        {
            var text = await readme.ReadToEndAsync();
            Assert.Contains("```csharp", text);
            Assert.Contains("```python", text);
        }
        using (var labels = new StreamReader(bundle.GetEntry("labels.txt")!.Open()))
            Assert.Equal(classes, (await labels.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Hostile_predict_requests_get_problems_and_the_endpoint_keeps_serving()
    {
        var api = app.Api();
        var (modelId, _, _) = await ImageModelAsync();
        var url = (await DeployAsync(api, modelId)).GetProperty("predictUrl").GetString()!;
        var good = Shapes()[0];

        (await (await api.PostAsync(url, Files(("notes.png", Encoding.UTF8.GetBytes("not an image at all"))))).JsonAsync(HttpStatusCode.UnsupportedMediaType))
            .AssertProblem(415, "Not an image");
        (await (await api.PostAsync(url, new StringContent("hello", Encoding.UTF8, "text/plain"))).JsonAsync(HttpStatusCode.UnsupportedMediaType))
            .AssertProblem(415, "Unsupported content type");
        (await api.PostJsonAsync(url, new { instances = new[] { new { colour = "red" } } }, HttpStatusCode.UnsupportedMediaType))
            .AssertProblem(415, "Instances not accepted");
        (await (await api.PostAsync(url, new StringContent("{\"images\": [", Encoding.UTF8, "application/json"))).JsonAsync(HttpStatusCode.BadRequest))
            .AssertProblem(400, "Invalid JSON");
        (await api.PostJsonAsync(url, new { images = new[] { "%%% not base64 %%%" } }, HttpStatusCode.BadRequest)).AssertProblem(400, "Not base64");
        (await api.PostJsonAsync(url, new { something = 1 }, HttpStatusCode.BadRequest)).AssertProblem(400, "Nothing to predict");
        (await (await api.PostAsync(url, new MultipartFormDataContent { { new StringContent("x"), "other" } })).JsonAsync(HttpStatusCode.BadRequest))
            .AssertProblem(400, "No file");
        (await api.PostJsonAsync(url, new { images = Enumerable.Repeat(Convert.ToBase64String(good), 257) }, HttpStatusCode.RequestEntityTooLarge))
            .AssertProblem(413, "Too many");
        (await (await api.PostAsync(url, Files(("huge.png", new byte[50 * 1024 * 1024])))).JsonAsync(HttpStatusCode.RequestEntityTooLarge))
            .AssertProblem(413, "too large");
        // A GIF header that declares 25120×29813 pixels: refused before anything is decoded.
        (await (await api.PostAsync(url, Files(("bomb.gif", "GIF89a but not really"u8.ToArray())))).JsonAsync(HttpStatusCode.RequestEntityTooLarge))
            .AssertProblem(413, "Image too large");
        (await (await api.PostAsync($"/api/v1/endpoints/{Guid.NewGuid()}/predict", Files(("a.png", good)))).JsonAsync(HttpStatusCode.NotFound))
            .AssertProblem(404, "Endpoint not found");

        var still = await (await api.PostAsync(url, Files(("a.png", good)))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, still.GetProperty("predictions").GetArrayLength());
    }

    [Fact]
    public async Task Endpoint_keys_only_predict_on_their_endpoint_are_rate_limited_with_retry_after_and_stop_when_revoked()
    {
        var api = app.Api();
        var (modelId, _, _) = await ImageModelAsync();
        var endpoint = await DeployAsync(api, modelId);
        var other = await DeployAsync(api, modelId);
        var id = endpoint.GetProperty("id").GetString()!;
        var created = await api.PostJsonAsync($"/api/v1/endpoints/{id}/keys", new { name = "shop floor", requestsPerSecond = 3 }, HttpStatusCode.Created);
        var scoped = app.Api(created.GetProperty("key").GetString());
        var image = Shapes()[1];

        Assert.Equal(HttpStatusCode.OK, (await scoped.PostAsync(endpoint.GetProperty("predictUrl").GetString(), Files(("a.png", image)))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await scoped.PostAsync(other.GetProperty("predictUrl").GetString(), Files(("a.png", image)))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await scoped.GetAsync("/api/v1/datasets")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await scoped.DeleteAsync($"/api/v1/endpoints/{id}")).StatusCode);

        var burst = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => scoped.PostAsync(endpoint.GetProperty("predictUrl").GetString(), Files(("a.png", image)))));
        var limited = burst.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.All(burst, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, r.StatusCode.ToString()));
        Assert.True(int.Parse(limited[0].Headers.GetValues("Retry-After").Single()) >= 1);
        (await limited[0].JsonAsync(HttpStatusCode.TooManyRequests)).AssertProblem(429, "Too many requests");

        var keys = await api.GetJsonAsync($"/api/v1/endpoints/{id}/keys");
        Assert.Equal(3, keys[0].GetProperty("requestsPerSecond").GetInt32());
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/endpoints/{id}/keys/{created.GetProperty("id").GetString()}")).StatusCode);
        await Task.Delay(1100);
        Assert.Equal(HttpStatusCode.Unauthorized, (await scoped.PostAsync(endpoint.GetProperty("predictUrl").GetString(), Files(("a.png", image)))).StatusCode);
    }

    [Fact]
    public async Task Swapping_versions_while_clients_predict_fails_no_request_and_undeploy_ends_the_endpoint()
    {
        var api = app.Api();
        var (modelId, _, bestTrialId) = await ImageModelAsync();
        var second = await api.PostJsonAsync("/api/v1/models", new { trialId = bestTrialId, name = "hosted stripes" }, HttpStatusCode.Created);
        var endpoint = await DeployAsync(api, modelId);
        var id = endpoint.GetProperty("id").GetString()!;
        var url = endpoint.GetProperty("predictUrl").GetString()!;
        var image = Shapes()[2];

        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        var answered = 0;
        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var client = app.Api();
            while (!stop.IsCancellationRequested)
            {
                var response = await client.PostAsync(url, Files(("a.png", image)));
                if (response.StatusCode == HttpStatusCode.OK) Interlocked.Increment(ref answered);
                else
                {
                    var failure = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
                    lock (failures) failures.Add(failure);
                }
            }
        })).ToList();

        var versions = new[] { second.GetProperty("version").GetInt32(), 1, second.GetProperty("version").GetInt32() };
        foreach (var version in versions)
        {
            await Task.Delay(300);
            var swapped = await (await api.PutAsJsonAsync($"/api/v1/endpoints/{id}/model", new { version })).JsonAsync(HttpStatusCode.OK);
            Assert.Equal(version, swapped.GetProperty("version").GetInt32());
        }
        await Task.Delay(300);
        stop.Cancel();
        await Task.WhenAll(clients);

        Assert.Empty(failures);
        Assert.True(answered > 10, $"only {answered} predictions were answered");
        Assert.Equal(versions[^1], (await api.GetJsonAsync($"/api/v1/endpoints/{id}")).GetProperty("version").GetInt32());

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/endpoints/{id}")).StatusCode);
        (await (await api.PostAsync(url, Files(("a.png", image)))).JsonAsync(HttpStatusCode.NotFound)).AssertProblem(404, "Endpoint not found");
    }

    [Fact]
    public async Task A_model_file_changed_on_disk_is_refused_and_the_endpoint_keeps_its_version()
    {
        var api = app.Api();
        var (_, _, bestTrialId) = await ImageModelAsync();
        var model = await api.PostJsonAsync("/api/v1/models", new { trialId = bestTrialId, name = "tampered stripes" }, HttpStatusCode.Created);
        var modelId = model.GetProperty("id").GetString()!;
        var endpoint = await DeployAsync(api, modelId);
        var tampered = await api.PostJsonAsync("/api/v1/models", new { trialId = bestTrialId, name = "tampered stripes" }, HttpStatusCode.Created);
        var onnx = Path.Combine(app.DataDir, "artifacts", "models", Guid.Parse(modelId).ToString("N"), $"v{tampered.GetProperty("version").GetInt32()}", "model.onnx");
        var bytes = await File.ReadAllBytesAsync(onnx);
        bytes[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(onnx, bytes);

        (await api.PostJsonAsync("/api/v1/endpoints", new { modelId, name = "tampered", version = 2 }, HttpStatusCode.Conflict)).AssertProblem(409, "refused");
        (await (await api.PutAsJsonAsync($"/api/v1/endpoints/{endpoint.GetProperty("id").GetString()}/model", new { version = 2 })).JsonAsync(HttpStatusCode.Conflict))
            .AssertProblem(409, "refused");
        var still = await (await api.PostAsync(endpoint.GetProperty("predictUrl").GetString(), Files(("a.png", Shapes()[0])))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, still.GetProperty("predictions").GetArrayLength());
        Assert.Equal(1, (await api.GetJsonAsync($"/api/v1/endpoints/{endpoint.GetProperty("id").GetString()}")).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Monitoring_counts_requests_errors_latency_and_classes_and_low_confidence_images_go_to_the_unlabeled_pool()
    {
        var api = app.Api();
        var (modelId, searchId, _) = await ImageModelAsync();
        var endpoint = await DeployAsync(api, modelId);
        var id = endpoint.GetProperty("id").GetString()!;
        var url = endpoint.GetProperty("predictUrl").GetString()!;
        var noise = Enumerable.Range(0, 6).Select(i =>
        {
            var random = new Random(i);
            using var bitmap = new SkiaSharp.SKBitmap(16, 16);
            for (var y = 0; y < 16; y++) for (var x = 0; x < 16; x++) bitmap.SetPixel(x, y, new SkiaSharp.SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
            return SkiaSharp.SKImage.FromBitmap(bitmap).Encode(SkiaSharp.SKEncodedImageFormat.Png, 100).ToArray();
        }).ToArray();
        await (await api.PostAsync(url, Files([.. Shapes().Concat(noise).Select((b, i) => ($"in{i}.png", b))]))).JsonAsync(HttpStatusCode.OK);
        await (await api.PostAsync(url, Files(("bad.png", [1, 2, 3])))).JsonAsync(HttpStatusCode.UnsupportedMediaType);

        var monitoring = await api.GetJsonAsync($"/api/v1/endpoints/{id}/monitoring?minutes=5");
        var totals = monitoring.GetProperty("totals");
        Assert.Equal(2, totals.GetProperty("requests").GetInt64());
        Assert.Equal(1, totals.GetProperty("errors").GetInt64());
        Assert.Equal(0.5, totals.GetProperty("errorRate").GetDouble());
        Assert.Equal(9, totals.GetProperty("predictions").GetInt64());
        Assert.True(totals.GetProperty("p50Ms").GetDouble() > 0);
        Assert.True(totals.GetProperty("p99Ms").GetDouble() >= totals.GetProperty("p50Ms").GetDouble());
        Assert.Equal(5, monitoring.GetProperty("perMinute").GetArrayLength());
        var drift = monitoring.GetProperty("drift");
        Assert.Equal(9, drift.GetProperty("classes").EnumerateArray().Sum(c => c.GetProperty("predicted").GetInt64()));
        Assert.Equal(1.0, drift.GetProperty("classes").EnumerateArray().Sum(c => c.GetProperty("trainingShare").GetDouble()), 6);
        Assert.False(drift.GetProperty("alert").GetBoolean());
        Assert.Contains("from 50 on", drift.GetProperty("summary").GetString());

        // The test app counts every prediction under certainty 1 as low-confidence (Hosting:LowConfidence = 1).
        var queue = (await api.GetJsonAsync($"/api/v1/endpoints/{id}/low-confidence")).EnumerateArray().ToList();
        Assert.NotEmpty(queue);
        var first = queue[0];
        Assert.Equal("image", first.GetProperty("kind").GetString());
        var image = await api.GetByteArrayAsync($"/api/v1/endpoints/{id}/low-confidence/{first.GetProperty("id").GetString()}/image");
        Assert.NotNull(ImageDecoder.Probe(image));

        var search = await api.GetJsonAsync($"/api/v1/searches/{searchId}");
        var datasetId = search.GetProperty("datasetId").GetString();
        var unlabeledBefore = (await api.GetJsonAsync($"/api/v1/datasets/{datasetId}/items?unlabeled=true")).GetProperty("total").GetInt32();
        var sent = await api.PostJsonAsync($"/api/v1/endpoints/{id}/low-confidence/send",
            new { ids = queue.Select(q => q.GetProperty("id").GetString()) }, HttpStatusCode.OK);
        Assert.Equal(datasetId, sent.GetProperty("datasetId").GetString());
        var added = sent.GetProperty("added").GetInt32();
        Assert.Equal(queue.Count, added + sent.GetProperty("alreadyThere").GetInt32());
        Assert.True(added > 0);
        var unlabeledAfter = (await api.GetJsonAsync($"/api/v1/datasets/{datasetId}/items?unlabeled=true")).GetProperty("total").GetInt32();
        Assert.Equal(unlabeledBefore + added, unlabeledAfter);
        Assert.Empty((await api.GetJsonAsync($"/api/v1/endpoints/{id}/low-confidence")).EnumerateArray());
        (await api.PostJsonAsync($"/api/v1/endpoints/{id}/low-confidence/send", new { ids = new[] { Guid.NewGuid() } }, HttpStatusCode.NotFound))
            .AssertProblem(404, "gone");
    }

    [Fact]
    public async Task A_batch_of_images_is_predicted_in_the_background_into_a_results_csv_where_a_bad_file_fails_only_its_line()
    {
        var api = app.Api();
        var (modelId, _, _) = await ImageModelAsync();
        var id = (await DeployAsync(api, modelId)).GetProperty("id").GetString()!;
        var zip = TestImages.Zip([.. Shapes().Select((b, i) => ($"batch/shape{i}.png", b)), ("=notes.png", Encoding.UTF8.GetBytes("not an image"))]);
        var form = new MultipartFormDataContent { { new ByteArrayContent(zip), "file", "line-3.zip" } };
        var started = await (await api.PostAsync($"/api/v1/endpoints/{id}/batches", form)).JsonAsync(HttpStatusCode.Accepted);
        var batchId = started.GetProperty("id").GetString();

        var done = await api.WaitForAsync($"/api/v1/endpoints/{id}/batches/{batchId}",
            b => b.GetProperty("status").GetString() is "completed" or "failed", TimeSpan.FromSeconds(60));
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(4, done.GetProperty("done").GetInt32());
        Assert.Equal(1, done.GetProperty("failed").GetInt32());
        var lines = (await api.GetStringAsync(done.GetProperty("resultsUrl").GetString())).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("file,label,score,p_checker,p_horizontal,p_vertical,error", lines[0]);
        Assert.Equal(5, lines.Length);
        Assert.Contains(lines, l => l.StartsWith("batch/shape0.png,", StringComparison.Ordinal) && l.EndsWith(','));
        Assert.Contains(lines, l => l.StartsWith("'=notes.png,", StringComparison.Ordinal));
        Assert.Contains("could not be read as an image", lines.Single(l => l.Contains("notes.png")));

        var csv = new MultipartFormDataContent { { new StringContent("colour,size\nred,3\n"), "file", "rows.csv" } };
        var wrongKind = await (await api.PostAsync($"/api/v1/endpoints/{id}/batches", csv)).JsonAsync(HttpStatusCode.Accepted);
        var failed = await api.WaitForAsync($"/api/v1/endpoints/{id}/batches/{wrongKind.GetProperty("id").GetString()}",
            b => b.GetProperty("status").GetString() is "completed" or "failed", TimeSpan.FromSeconds(60));
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Contains("zip of image files", failed.GetProperty("error").GetString());
        (await (await api.GetAsync($"/api/v1/endpoints/{id}/batches/{wrongKind.GetProperty("id").GetString()}/results.csv")).JsonAsync(HttpStatusCode.Conflict))
            .AssertProblem(409, "Not finished");
        var exe = new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "file", "tool.exe" } };
        (await (await api.PostAsync($"/api/v1/endpoints/{id}/batches", exe)).JsonAsync(HttpStatusCode.UnsupportedMediaType)).AssertProblem(415, "Unsupported file");
        Assert.Equal(2, (await api.GetJsonAsync($"/api/v1/endpoints/{id}/batches")).GetArrayLength());
    }

    [Fact]
    public async Task Stages_move_by_role_and_a_model_keeps_one_production_version()
    {
        var api = app.Api();
        var (_, _, bestTrialId) = await ImageModelAsync();
        var model = await api.PostJsonAsync("/api/v1/models", new { trialId = bestTrialId, name = "staged stripes" }, HttpStatusCode.Created);
        var modelId = model.GetProperty("id").GetString()!;
        await api.PostJsonAsync("/api/v1/models", new { trialId = bestTrialId, name = "staged stripes" }, HttpStatusCode.Created);
        var expert = app.Api((await app.CreateUserAsync(StudioRoles.Expert)).Key);
        var lead = app.Api((await app.CreateUserAsync(StudioRoles.TeamLead)).Key);

        var staged = await (await expert.PatchAsJsonAsync($"/api/v1/models/{modelId}/versions/1",
            new { stage = "staging", intendedUse = "Sorting stripes on the line", notes = "Tested on <b>day</b> shift" })).JsonAsync(HttpStatusCode.OK);
        var v1 = staged.GetProperty("versions").EnumerateArray().Single(v => v.GetProperty("version").GetInt32() == 1);
        Assert.Equal("staging", v1.GetProperty("stage").GetString());
        Assert.Equal("Sorting stripes on the line", v1.GetProperty("card").GetProperty("intendedUse").GetString());
        Assert.Equal("Tested on <b>day</b> shift", v1.GetProperty("card").GetProperty("notes").GetString());
        (await (await expert.PatchAsJsonAsync($"/api/v1/models/{modelId}/versions/1", new { stage = "production" })).JsonAsync(HttpStatusCode.Forbidden))
            .AssertProblem(403, "Not allowed");
        (await (await lead.PatchAsJsonAsync($"/api/v1/models/{modelId}/versions/1", new { stage = "launched" })).JsonAsync(HttpStatusCode.BadRequest))
            .AssertProblem(400, "Unknown stage");
        (await (await lead.PatchAsJsonAsync($"/api/v1/models/{modelId}/versions/1", new { notes = new string('x', 4001) })).JsonAsync(HttpStatusCode.BadRequest))
            .AssertProblem(400, "too long");

        await (await lead.PatchAsJsonAsync($"/api/v1/models/{modelId}/versions/1", new { stage = "production" })).JsonAsync(HttpStatusCode.OK);
        var after = await (await lead.PatchAsJsonAsync($"/api/v1/models/{modelId}/versions/2", new { stage = "Production" })).JsonAsync(HttpStatusCode.OK);
        var stages = after.GetProperty("versions").EnumerateArray().ToDictionary(v => v.GetProperty("version").GetInt32(), v => v.GetProperty("stage").GetString());
        Assert.Equal("archived", stages[1]);
        Assert.Equal("production", stages[2]);

        var card = JsonDocument.Parse(await new ZipArchive(new MemoryStream(await api.GetByteArrayAsync($"/api/v1/models/{modelId}/download?format=torchsharp&version=1")))
            .GetEntry("model.json")!.Open().ReadAllTextAsync()).RootElement;
        Assert.Equal("Sorting stripes on the line", card.GetProperty("intendedUse").GetString());
    }
}

internal static class StreamText
{
    public static async Task<string> ReadAllTextAsync(this Stream stream)
    {
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
