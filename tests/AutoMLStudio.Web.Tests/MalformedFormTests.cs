using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace AutoMLStudio.Web.Tests;

/// <summary>
/// Forms the framework cannot read (no boundary, a cut-off body, a key past its limits) and JSON sent as a form, as
/// <c>curl -d</c> does: each is a 4xx problem that says what to send, never a 500, on the real server.
/// </summary>
[Collection(StudioCollection.Name)]
public sealed class MalformedFormTests
{
    [Fact]
    public async Task Predict_answers_json_sent_as_a_url_encoded_form_and_refuses_other_form_bodies_with_415()
    {
        await using var app = RealServer(out var api);
        var endpoint = await DeployColourRowsAsync(api);
        var url = endpoint.GetProperty("predictUrl").GetString()!;
        var id = endpoint.GetProperty("id").GetString();

        var rows = Enumerable.Range(0, 40).Select(i => new { colour = i % 2 == 0 ? "red" : "blue", size = i % 10, note = $"row {i} of a long request" });
        var json = JsonSerializer.Serialize(new { instances = rows });
        Assert.True(json.Length > 2048, "the body must pass the 2 KB form key limit");
        var answer = await (await api.PostAsync(url, UrlEncoded(json))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(40, answer.GetProperty("predictions").GetArrayLength());
        Assert.Equal("warm", answer.GetProperty("predictions")[0].GetProperty("label").GetString());

        var notJson = await (await api.PostAsync(url, UrlEncoded("colour=red&size=" + new string('1', 3000)))).JsonAsync(HttpStatusCode.UnsupportedMediaType);
        notJson.AssertProblem(415, "content type");
        Assert.Contains("multipart/form-data", notJson.GetProperty("detail").GetString());
        Assert.Contains("application/json", notJson.GetProperty("detail").GetString());

        // The batch route reads its file as a form too.
        (await (await api.PostAsync($"/api/v1/endpoints/{id}/batches", Raw("multipart/form-data", "file=rows.csv")))
            .JsonAsync(HttpStatusCode.BadRequest)).AssertProblem(400, "form");
        (await (await api.PostAsync(url, Raw("multipart/form-data; boundary=cut", TruncatedPart("cut")))).JsonAsync(HttpStatusCode.BadRequest))
            .AssertProblem(400, "form");
    }

    [Fact]
    public async Task Broken_multipart_and_oversized_form_keys_get_a_400_problem_and_store_nothing()
    {
        await using var app = RealServer(out var api);

        var cases = new Dictionary<string, HttpContent>
        {
            ["no boundary"] = Raw("multipart/form-data", "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.zip\"\r\n\r\nPK\r\n--x--\r\n"),
            ["cut off"] = Raw("multipart/form-data; boundary=cut", TruncatedPart("cut")),
            ["key past 2 KB"] = UrlEncoded(new string('k', 3000) + "=1"),
            ["too many keys"] = UrlEncoded(string.Join("&", Enumerable.Range(0, 1100).Select(i => $"k{i}=v"))),
        };
        foreach (var (name, content) in cases)
        {
            var response = await api.PostAsync("/api/v1/datasets", content);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode} {body}");
            var problem = JsonDocument.Parse(body).RootElement;
            problem.AssertProblem(400, "form");
            Assert.Contains("multipart/form-data", problem.GetProperty("detail").GetString());
        }
        Assert.Equal(0, (await api.GetJsonAsync("/api/v1/datasets")).GetArrayLength());
        var uploads = Path.Combine(app.DataDir, "artifacts", "uploads");
        Assert.True(!Directory.Exists(uploads) || Directory.GetFiles(uploads).Length == 0);

        // The sign-in form is read by the framework's binding, not by our code: still no 500.
        using var anonymous = app.CreateClient();
        var login = await anonymous.PostAsync("/account/login", UrlEncoded(new string('e', 3000) + "=x"));
        Assert.True((int)login.StatusCode is >= 400 and < 500, $"sign-in answered {(int)login.StatusCode}");
    }

    [Fact]
    public async Task Json_in_a_charset_other_than_utf8_gets_a_415_problem_that_says_to_send_utf8()
    {
        await using var app = RealServer(out var api);

        foreach (var charset in new[] { "utf-7", "x-no-such-charset", "utf-32" })
        {
            var response = await api.PostAsync("/api/v1/searches", Raw($"application/json; charset={charset}", "{\"datasetId\":\"x\"}"));
            var problem = await response.JsonAsync(HttpStatusCode.UnsupportedMediaType);
            problem.AssertProblem(415, "charset");
            Assert.Contains("UTF-8", problem.GetProperty("detail").GetString());
        }
        var utf8 = await api.PostAsync("/api/v1/searches", Raw("application/json; charset=UTF-8", "{\"datasetId\":\"x\"}"));
        Assert.Equal(HttpStatusCode.BadRequest, utf8.StatusCode);
    }

    private static StudioApp RealServer(out HttpClient api)
    {
        var app = new StudioApp();
        app.UseKestrel(0);
        app.StartServer();
        api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StudioApp.AdminKey);
        Assert.True(api.BaseAddress is { IsLoopback: true, Port: not 80 }, $"not a real server: {api.BaseAddress}");
        return app;
    }

    private static async Task<JsonElement> DeployColourRowsAsync(HttpClient api)
    {
        var dataset = await api.ImportFileAsync(RowSearchTests.ColourTable(60), "rows.csv", "colour rows", new Dictionary<string, string> { ["labelColumn"] = "label" });
        var search = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId = dataset.GetProperty("id").GetString(), seed = 5, algorithm = "random",
            budget = new { maxTrials = 1, maxMinutes = 5, maxEpochsPerTrial = 3 },
        }, HttpStatusCode.Created);
        var done = await api.WaitForSearchEndAsync(search.GetProperty("id").GetString()!);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        var model = await api.PostJsonAsync("/api/v1/models", new { trialId = done.GetProperty("bestTrialId").GetString(), name = "colour rows" }, HttpStatusCode.Created);
        return await api.PostJsonAsync("/api/v1/endpoints", new { modelId = model.GetProperty("id").GetString(), name = "colour rows" }, HttpStatusCode.Created);
    }

    /// <summary>What <c>curl -d</c> sends: the body as typed, labelled as a URL-encoded form.</summary>
    private static StringContent UrlEncoded(string body) => new(body, Encoding.UTF8, "application/x-www-form-urlencoded");

    private static ByteArrayContent Raw(string contentType, string body)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    /// <summary>A file part whose closing boundary never comes, as when a client is cut off mid-upload.</summary>
    private static string TruncatedPart(string boundary) =>
        $"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n" + new string('x', 5000);
}
