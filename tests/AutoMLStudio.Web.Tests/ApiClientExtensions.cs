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
    public static async Task<JsonElement> ImportAsync(this HttpClient api, byte[] zip, string name)
    {
        var accepted = await (await api.UploadAsync(zip, name: name)).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("importing", accepted.GetProperty("status").GetString());
        var id = accepted.GetProperty("id").GetString();
        return await WaitForAsync(api, $"/api/v1/datasets/{id}", d => d.GetProperty("status").GetString() != "importing", TimeSpan.FromSeconds(60));
    }

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
}
