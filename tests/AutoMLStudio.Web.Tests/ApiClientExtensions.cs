using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace AutoMLStudio.Web.Tests;

/// <summary>Steps of the public API, so tests read like the journey they check.</summary>
public static class ApiClientExtensions
{
    public static async Task<HttpResponseMessage> UploadAsync(this HttpClient api, byte[] content, string fileName = "data.zip", string? name = null)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        form.Add(file, "file", fileName);
        if (name is not null) form.Add(new StringContent(name), "name");
        return await api.PostAsync("/api/v1/datasets", form);
    }

    /// <summary>One request with several files (each in a field named 'file') and optional form fields such as labelColumn.</summary>
    public static async Task<HttpResponseMessage> UploadFilesAsync(
        this HttpClient api, IEnumerable<(byte[] Content, string FileName)> files, string? name = null, IReadOnlyDictionary<string, string>? fields = null)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (content, fileName) in files) form.Add(new ByteArrayContent(content), "file", fileName);
        if (name is not null) form.Add(new StringContent(name), "name");
        foreach (var (key, value) in fields ?? new Dictionary<string, string>()) form.Add(new StringContent(value), key);
        return await api.PostAsync("/api/v1/datasets", form);
    }

    /// <summary>Uploads one file (a CSV, a zip) with optional form fields and waits until the import has finished.</summary>
    public static async Task<JsonElement> ImportFileAsync(
        this HttpClient api, byte[] content, string fileName, string name, IReadOnlyDictionary<string, string>? fields = null) =>
        await api.WaitForImportAsync(await api.UploadFilesAsync([(content, fileName)], name, fields));

    /// <summary>Checks the upload was accepted and waits until its import is ready or failed.</summary>
    public static async Task<JsonElement> WaitForImportAsync(this HttpClient api, HttpResponseMessage upload)
    {
        var accepted = await upload.JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("importing", accepted.GetProperty("status").GetString());
        var id = accepted.GetProperty("id").GetString();
        return await WaitForAsync(api, $"/api/v1/datasets/{id}", d => d.GetProperty("status").GetString() != "importing", TimeSpan.FromSeconds(120));
    }

    /// <summary>Class name to count, from a dataset's JSON.</summary>
    public static Dictionary<string, int> Classes(this JsonElement dataset) =>
        dataset.GetProperty("classes").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("count").GetInt32());

    /// <summary>The import's skipped files or rows with their reasons.</summary>
    public static List<(string File, string Reason)> Skipped(this JsonElement dataset) =>
        dataset.GetProperty("quality").GetProperty("skippedDetails").EnumerateArray()
            .Select(i => (i.GetProperty("file").GetString()!, i.GetProperty("reason").GetString()!)).ToList();

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient api, string url) =>
        await (await api.GetAsync(url)).JsonAsync(HttpStatusCode.OK);

    public static async Task<JsonElement> PostJsonAsync(this HttpClient api, string url, object body, HttpStatusCode expected) =>
        await (await api.PostAsJsonAsync(url, body)).JsonAsync(expected);

    /// <summary>Uploads and waits until the import has finished (ready or failed).</summary>
    public static async Task<JsonElement> ImportAsync(this HttpClient api, byte[] zip, string name) =>
        await api.WaitForImportAsync(await api.UploadAsync(zip, name: name));

    public static async Task<JsonElement> WaitForAsync(this HttpClient api, string url, Func<JsonElement, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var current = await api.GetJsonAsync(url);
            if (done(current)) return current;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{url} did not reach the expected state in {timeout}: {current}");
            await Task.Delay(200);
        }
    }

    public static Task<JsonElement> WaitForSearchEndAsync(this HttpClient api, string searchId, int seconds = 180) =>
        api.WaitForAsync($"/api/v1/searches/{searchId}",
            s => s.GetProperty("status").GetString() is "completed" or "failed" or "cancelled", TimeSpan.FromSeconds(seconds));

    public static void AssertProblem(this JsonElement problem, int status, string titleContains)
    {
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.Contains(titleContains, problem.GetProperty("title").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }

    /// <summary>The id of a trial of the search that is running and has finished its first epoch.</summary>
    public static async Task<string> WaitForTrainingTrialAsync(this HttpClient api, string searchId)
    {
        static bool Training(JsonElement t) => t.GetProperty("status").GetString() == "running" && t.GetProperty("epochs").GetArrayLength() > 0;
        var trials = await api.WaitForAsync($"/api/v1/searches/{searchId}/trials", t => t.EnumerateArray().Any(Training), TimeSpan.FromSeconds(120));
        return trials.EnumerateArray().First(Training).GetProperty("id").GetString()!;
    }
}
