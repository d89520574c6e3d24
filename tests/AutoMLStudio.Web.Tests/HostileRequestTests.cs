using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AutoMLStudio.Tests.Shared;
using CsCheck;
using Xunit.Abstractions;

namespace AutoMLStudio.Web.Tests;

/// <summary>
/// A seeded barrage of generated malformed requests at the upload, predict, label and search routes of a real Kestrel
/// server: every answer is a 4xx problem or a success, no file lands outside the data folder, and nothing is half-written.
/// </summary>
[Collection(StudioCollection.Name)]
public sealed class HostileRequestTests(ITestOutputHelper output)
{
    private const ulong Seed = 42;
    private const int PerRoute = 60;

    [Fact]
    public async Task Generated_malformed_requests_get_4xx_problems_write_nothing_outside_the_data_folder_and_leave_no_half_written_state()
    {
        await using var app = new StudioApp();
        app.UseKestrel(0);
        app.StartServer();
        using var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StudioApp.AdminKey);
        Assert.True(api.BaseAddress is { IsLoopback: true, Port: not 80 }, $"not a real server: {api.BaseAddress}");
        var marker = "amls-escape-" + Guid.NewGuid().ToString("N")[..10];
        var target = await HostileTargets.CreateAsync(api);
        var pcg = new PCG(0, Seed);
        var requests = new List<HostileRequest>();
        foreach (var gen in new[]
                 {
                     HostileRequests.Upload(marker), HostileRequests.Predict(target), HostileRequests.Label(target), HostileRequests.Search(target),
                 })
            for (var i = 0; i < PerRoute; i++) requests.Add(gen.Generate(pcg, null!, out _));

        var labelsBefore = await target.LabelsAsync(api);
        var expectedLabels = new Dictionary<string, string?>(labelsBefore);
        var acceptedUploads = new List<string>();
        var createdSearches = new List<string>();
        var counts = new SortedDictionary<string, int>();
        var serverErrors = new List<string>();
        foreach (var request in requests)
        {
            using var message = request.ToMessage();
            using var response = await api.SendAsync(message);
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync();
            var key = $"{request.Route} {status}";
            counts[key] = counts.GetValueOrDefault(key) + 1;
            if (status >= 500) serverErrors.Add($"{request.Description} -> {status}: {body[..Math.Min(body.Length, 300)]}");
            else if (status >= 400)
                Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
                    $"{request.Description} -> {status} without problem details: {body[..Math.Min(body.Length, 300)]}");
            else if (request.Route == "upload") acceptedUploads.Add(JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!);
            else if (request.Route == "search") createdSearches.Add(JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!);
            else if (request.Route == "label" && request.ItemId is { } item) expectedLabels[item] = JsonDocument.Parse(body).RootElement.GetProperty("label").GetString();
        }
        foreach (var search in createdSearches) await api.PostAsync($"/api/v1/searches/{search}/cancel", null);
        output.WriteLine($"{requests.Count} requests (seed {Seed}): " + string.Join(", ", counts.Select(c => $"{c.Key}: {c.Value}")));

        Assert.True(requests.Count >= 200);
        Assert.True(serverErrors.Count == 0, "Server errors:\n" + string.Join("\n", serverErrors));

        // Nothing outside the data folder: the generated names that try to climb out carry the marker.
        var escaped = FilesNamed(marker, Path.GetTempPath(), AppContext.BaseDirectory, Directory.GetCurrentDirectory())
            .Where(f => !f.StartsWith(app.DataDir, StringComparison.Ordinal)).ToList();
        Assert.True(escaped.Count == 0, "Files outside the data folder: " + string.Join(", ", escaped));

        // Nothing half-written: every accepted upload ends ready or failed, refused ones made no dataset, no upload is left
        // over, labels are what the accepted requests set, and the endpoint still serves.
        foreach (var id in acceptedUploads)
            await api.WaitForAsync($"/api/v1/datasets/{id}", d => d.GetProperty("status").GetString() is "ready" or "failed", TimeSpan.FromSeconds(120));
        var datasets = await api.GetJsonAsync("/api/v1/datasets?take=500");
        Assert.Equal(target.DatasetCount + acceptedUploads.Count, datasets.GetArrayLength());
        var uploads = Path.Combine(app.DataDir, "artifacts", "uploads");
        Assert.True(!Directory.Exists(uploads) || Directory.GetFiles(uploads).Length == 0, "Upload files left over");
        Assert.Equal(expectedLabels, await target.LabelsAsync(api));
        var searches = await api.GetJsonAsync("/api/v1/searches?take=500");
        Assert.Equal(target.SearchCount + createdSearches.Count, searches.GetArrayLength());
        using var good = new MultipartFormDataContent { { new ByteArrayContent(TestImages.Png("checker", 5)), "file", "good.png" } };
        var prediction = await (await api.PostAsync(target.PredictUrl, good)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, prediction.GetProperty("predictions").GetArrayLength());
    }

    private static List<string> FilesNamed(string marker, params string[] roots)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MaxRecursionDepth = 6, AttributesToSkip = FileAttributes.ReparsePoint };
        return roots.Where(Directory.Exists).Distinct()
            .SelectMany(root => Directory.EnumerateFileSystemEntries(root, $"*{marker}*", options)).Distinct().ToList();
    }
}

/// <summary>One generated request: what it is for the failure message, and how to send it.</summary>
public sealed record HostileRequest(string Route, string Description, HttpMethod Method, string Url, Func<HttpContent?> Content, string? ItemId = null)
{
    public HttpRequestMessage ToMessage() => new(Method, Url) { Content = Content() };
}

/// <summary>What the barrage aims at: an image dataset with items, a tabular one, and a deployed image endpoint.</summary>
public sealed record HostileTargets(string ImageDatasetId, string TableDatasetId, IReadOnlyList<string> ItemIds, string PredictUrl, int DatasetCount, int SearchCount)
{
    public static async Task<HostileTargets> CreateAsync(HttpClient api)
    {
        var images = await api.ImportAsync(TestImages.ClassFolderZip(perClass: 6), "hostile images");
        var table = await api.ImportFileAsync(Encoding.UTF8.GetBytes("a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n"), "t.csv", "hostile table",
            new Dictionary<string, string> { ["labelColumn"] = "label" });
        var imageId = images.GetProperty("id").GetString()!;
        var search = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId = imageId, algorithm = "random", seed = 3, budget = new { maxTrials = 1, maxMinutes = 5, maxEpochsPerTrial = 1 },
        }, HttpStatusCode.Created);
        var finished = await api.WaitForSearchEndAsync(search.GetProperty("id").GetString()!);
        var model = await api.PostJsonAsync("/api/v1/models",
            new { trialId = finished.GetProperty("bestTrialId").GetString(), name = "hostile target" }, HttpStatusCode.Created);
        var endpoint = await api.PostJsonAsync("/api/v1/endpoints",
            new { modelId = model.GetProperty("id").GetString(), name = "hostile target" }, HttpStatusCode.Created);
        var items = await api.GetJsonAsync($"/api/v1/datasets/{imageId}/items?take=100");
        return new HostileTargets(imageId, table.GetProperty("id").GetString()!,
            items.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList(),
            endpoint.GetProperty("predictUrl").GetString()!, DatasetCount: 2, SearchCount: 1);
    }

    public async Task<Dictionary<string, string?>> LabelsAsync(HttpClient api)
    {
        var items = await api.GetJsonAsync($"/api/v1/datasets/{ImageDatasetId}/items?take=1000");
        return items.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetString()!, i => i.GetProperty("label").GetString());
    }
}

/// <summary>Generators of malformed requests, one per route family.</summary>
public static class HostileRequests
{
    private static readonly string[] ContentTypes =
    [
        "application/json", "application/x-www-form-urlencoded", "text/plain", "multipart/form-data", "multipart/form-data; boundary=",
        "multipart/form-data; boundary=zzz", "application/octet-stream", "image/png", "text/csv", "application/json; charset=utf-7", "",
    ];

    /// <summary>Strings people and attackers send: control characters, markup, paths, very long and odd Unicode.</summary>
    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.String[0, 40],
        Gen.Char.Array[0, 30].Select(c => new string(c)),
        Gen.Const(""), Gen.Const(" "), Gen.Const("\t\r\n\0"), Gen.Const("<script>alert(1)</script>"), Gen.Const("../../etc/passwd"),
        Gen.Const("null"), Gen.Const("\"quoted\""), Gen.Const("\uD800"), Gen.Const("ünïcödé ✓ 🐱"),
        Gen.Int[1000, 20_000].Select(n => new string('x', n)));

    private static readonly Gen<byte[]> Bytes = Gen.OneOf(Gen.Byte.Array[0, 600], Gen.Const(Array.Empty<byte>()));

    /// <summary>Random JSON text, valid or subtly broken, nested or deep.</summary>
    private static readonly Gen<string> Json = Gen.OneOf(
        JsonValue(3).Select(v => v?.ToJsonString() ?? "null"),
        JsonValue(2).Select(v => v?.ToJsonString() ?? "null").Select(Gen.Int[0, 50]).Select((s, cut) => s[..Math.Min(s.Length, cut)]),
        Gen.Int[50, 3000].Select(n => new string('[', n) + new string(']', n)),
        Gen.Const("{\"a\":1,\"a\":2}"), Gen.Const("{'single':'quotes'}"), Gen.Const("NaN"), Gen.Const("{\"x\": 1e999}"));

    private static Gen<JsonNode?> JsonValue(int depth)
    {
        var leaf = Gen.OneOf<JsonNode?>(
            Gen.Bool.Select(_ => (JsonNode?)null),
            Gen.Bool.Select(b => (JsonNode?)b),
            Gen.Long.Select(l => (JsonNode?)l),
            Gen.Double.Select(d => double.IsFinite(d) ? (JsonNode?)d : 0.5),
            Text.Select(s => (JsonNode?)ValidUtf16(s)));
        if (depth == 0) return leaf;
        var inner = JsonValue(depth - 1);
        return Gen.OneOf(leaf,
            inner.Array[0, 4].Select(a => (JsonNode?)new JsonArray(a)),
            Gen.Select(Gen.OneOf(Text, Gen.OneOf("label", "instances", "datasetId", "budget", "objective", "file")).Select(ValidUtf16), inner).Array[0, 4]
                .Select(pairs =>
                {
                    var o = new JsonObject();
                    foreach (var (k, v) in pairs) o[k] = v;
                    return (JsonNode?)o;
                }));
    }

    // JsonNode refuses lone surrogates; the raw-text generators still send them.
    private static string ValidUtf16(string s) => new(s.Where(c => !char.IsSurrogate(c)).ToArray());

    private static Func<HttpContent?> Raw(byte[] body, string contentType) => () =>
    {
        var content = new ByteArrayContent(body);
        if (contentType.Length > 0) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    };

    private static Func<HttpContent?> Raw(string body, string contentType) => Raw(Encoding.UTF8.GetBytes(body), contentType);

    private static Func<HttpContent?> Multipart(IReadOnlyList<(string Field, string? FileName, byte[] Content)> parts) => () =>
    {
        var form = new MultipartFormDataContent();
        foreach (var (field, fileName, content) in parts)
        {
            var part = new ByteArrayContent(content);
            // Hostile names are sent as they are: HttpClient would refuse some of them in a typed header.
            part.Headers.TryAddWithoutValidation("Content-Disposition",
                fileName is null ? $"form-data; name=\"{field}\"" : $"form-data; name=\"{field}\"; filename=\"{fileName.Replace("\"", "'")}\"");
            form.Add(part);
        }
        return form;
    };

    private static Gen<string> FileName(string marker) => Gen.OneOf(
        Text.Select(ValidUtf16).Select(s => s.Replace("\r", "").Replace("\n", "")),
        Gen.OneOf("../../../", "..\\..\\", "/tmp/", "cats/../../../", "....//....//", "%2e%2e%2f%2e%2e%2f", "")
            .Select(Gen.OneOf(".png", ".html", ".csv", ".zip", ".svg", ""))
            .Select((prefix, ext) => $"{prefix}{marker}{ext}"));

    public static Gen<HostileRequest> Upload(string marker)
    {
        const string url = "/api/v1/datasets";
        var png = TestImages.Png("checker", 1);
        var zipWithClimbingEntries = FileName(marker).Array[1, 4].Select(names =>
            TestImages.Zip(names.Select((n, i) => ($"{n}{i}.png", png)).ToArray()));
        var brokenZip = Gen.Int[0, 2000].Select(Gen.Byte).Select((cut, b) =>
        {
            var zip = TestImages.ClassFolderZip(perClass: 2);
            var copy = zip[..Math.Min(zip.Length, cut)];
            if (copy.Length > 0) copy[cut % copy.Length] ^= b;
            return copy;
        });
        var csv = Gen.OneOf(
            Text.Array[0, 30].Select(rows => string.Join("\n", rows)),
            Gen.Int[1, 8].Select(Gen.Int[1, 200]).Select((cols, rows) =>
                "a,b,label\n" + string.Join("\n", Enumerable.Range(0, rows).Select(r => string.Join(",", Enumerable.Range(0, (r * 7 + cols) % 9))))),
            Gen.Const("\"unclosed,quote\nx,y\n"), Gen.Const("\uFEFF\0\0\0"), Gen.Const("label\n" + new string('9', 100_000)))
            .Select(s => Encoding.UTF8.GetBytes(s));
        var fileContent = Gen.OneOf(Bytes, zipWithClimbingEntries, brokenZip, csv, Gen.Const(png), Gen.Const(png.Concat("<html><script>alert(1)</script>"u8.ToArray()).ToArray()));
        var field = Gen.OneOf(Gen.OneOf("file", "name", "labelColumn", "textColumn", "projectId"), Text.Select(ValidUtf16).Select(s => s.Replace("\"", "")));
        var fieldValue = Text.Select(ValidUtf16).Select(s => Encoding.UTF8.GetBytes(s));
        var part = Gen.OneOf(
            Gen.Select(FileName(marker), fileContent).Select((name, content) => ("file", (string?)name, content)),
            Gen.Select(field, fieldValue).Select((f, v) => (f, (string?)null, v)));
        // Well-formed uploads whose file and entry names try to climb out of the data folder: these are accepted and imported.
        var climbing = Gen.Select(FileName(marker), Gen.OneOf(Gen.Const(png), zipWithClimbingEntries)).Array[1, 3];
        return Gen.OneOf(
            climbing.Select(files => new HostileRequest("upload", $"files {string.Join(";", files.Select(f => f.Item1))}", HttpMethod.Post, url,
                Multipart(files.Select(f => ("file", (string?)f.Item1, f.Item2)).ToList()))),
            part.Array[0, 5].Select(parts => new HostileRequest("upload", $"multipart {string.Join(";", parts.Select(p => $"{p.Item1}={p.Item2}({p.Item3.Length} B)"))}",
                HttpMethod.Post, url, Multipart(parts))),
            Gen.Select(Bytes, Gen.OneOf(ContentTypes)).Select((body, type) =>
                new HostileRequest("upload", $"raw {body.Length} B as '{type}'", HttpMethod.Post, url, Raw(body, type))),
            Gen.Select(Json, Gen.OneOf(ContentTypes)).Select((body, type) =>
                new HostileRequest("upload", $"text {Short(body)} as '{type}'", HttpMethod.Post, url, Raw(body, type))));
    }

    public static Gen<HostileRequest> Predict(HostileTargets target)
    {
        var url = Gen.Frequency((9, Gen.Const(target.PredictUrl)), (1, Gen.Const($"/api/v1/endpoints/{Guid.NewGuid()}/predict")));
        var hugeImage = Gen.Const(() => ZeroPng.Of(8000, 8000)); // 244 MiB of pixels in a small file
        var image = Gen.OneOf(Bytes, Gen.Const(TestImages.Png("vertical", 9)), hugeImage,
            Gen.Int[8, 200].Select(cut => TestImages.Png("horizontal", 4)[..cut]));
        var part = Gen.Select(Gen.OneOf("file", "files", "image", ""), Text.Select(ValidUtf16).Select(s => s.Replace("\"", "").Replace("\r", "").Replace("\n", "")), image);
        var instances = Gen.OneOf(Json,
            JsonValue(2).Array[0, 5].Select(rows => JsonSerializer.Serialize(new { instances = rows })),
            Gen.Int[200, 3000].Select(n => JsonSerializer.Serialize(new { instances = new[] { new Dictionary<string, string> { ["a"] = new string('1', n) } } })));
        return Gen.OneOf(
            Gen.Select(url, instances, Gen.OneOf(ContentTypes)).Select((u, body, type) =>
                new HostileRequest("predict", $"{u} text {Short(body)} as '{type}'", HttpMethod.Post, u, Raw(body, type))),
            Gen.Select(url, part.Array[0, 4]).Select((u, parts) =>
                new HostileRequest("predict", $"{u} multipart {string.Join(";", parts.Select(p => $"{p.Item1}({p.Item3.Length} B)"))}", HttpMethod.Post, u,
                    Multipart(parts.Select(p => (p.Item1, (string?)p.Item2, p.Item3)).ToList()))),
            Gen.Select(url, Bytes, Gen.OneOf(ContentTypes)).Select((u, body, type) =>
                new HostileRequest("predict", $"{u} raw {body.Length} B as '{type}'", HttpMethod.Post, u, Raw(body, type))));
    }

    public static Gen<HostileRequest> Label(HostileTargets target)
    {
        var item = Gen.Frequency(
            (6, Gen.OneOf(target.ItemIds.ToArray()).Select(id => (Dataset: target.ImageDatasetId, Item: id, Known: true))),
            (1, Gen.Const((Dataset: target.TableDatasetId, Item: target.ItemIds[0], Known: false))),
            (1, Gen.Guid.Select(g => (Dataset: target.ImageDatasetId, Item: g.ToString(), Known: false))));
        var body = Gen.OneOf(Json,
            Gen.OneOf(Text, Gen.OneOf("checker", "vertical", "horizontal")).Select(ValidUtf16).Select(l => JsonSerializer.Serialize(new { label = l })),
            Gen.Select(Gen.OneOf("checker", "vertical"), Gen.OneOf(Gen.Long.Select(l => (object)l), Text.Select(ValidUtf16).Select(s => (object)s)))
                .Select((l, rev) => JsonSerializer.Serialize(new { label = l, expectedRevision = rev })));
        return Gen.Select(item, body, Gen.Frequency((4, Gen.Const("application/json")), (1, Gen.OneOf(ContentTypes)))).Select((target, json, type) =>
            new HostileRequest("label", $"{target.Item} {Short(json)} as '{type}'", HttpMethod.Put,
                $"/api/v1/datasets/{target.Dataset}/items/{target.Item}/label", Raw(json, type), target.Known ? target.Item : null));
    }

    public static Gen<HostileRequest> Search(HostileTargets target)
    {
        // Each body breaks at least one rule, so the barrage never starts real training.
        var broken = Gen.OneOf(
            Gen.Select(Gen.OneOf(Text.Select(ValidUtf16), Gen.Guid.Select(g => g.ToString())), JsonValue(1)).Select((id, extra) =>
                JsonSerializer.Serialize(new { datasetId = id, extra })),
            Gen.Select(Gen.OneOf("accuracy", "rmse", "cost", "map", "", "ACCURACY"), Gen.OneOf(Text, Gen.OneOf("classification", "regression", "object_detection")).Select(ValidUtf16),
                    Gen.Double, Gen.Long)
                .Select((metric, task, limit, trials) => JsonSerializer.Serialize(new
                {
                    datasetId = target.TableDatasetId, task, objective = new { metric, constraints = new { maxParams = -Math.Abs(limit) - 1 } },
                    budget = new { maxTrials = trials < 0 ? trials : -trials - 1, maxMinutes = 99999999999999L },
                })),
            Gen.Select(Text.Select(ValidUtf16), Gen.Int[-5, 5]).Select((algorithm, n) => JsonSerializer.Serialize(new
            {
                datasetId = target.ImageDatasetId, algorithm = algorithm + "!", budget = new { maxTrials = n, maxEpochsPerTrial = -1 },
                objective = new { metric = "cost", costMatrix = Enumerable.Range(0, Math.Abs(n)).Select(i => new[] { i }).ToArray() },
            })),
            Json);
        return Gen.Select(broken, Gen.Frequency((4, Gen.Const("application/json")), (1, Gen.OneOf(ContentTypes)))).Select((json, type) =>
            new HostileRequest("search", $"{Short(json)} as '{type}'", HttpMethod.Post, "/api/v1/searches", Raw(json, type)));
    }

    private static string Short(string s) => s.Length <= 120 ? s : $"{s[..120]}... ({s.Length} chars)";
}
