using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace AutoMLStudio.E2E;

public sealed record ApiItem(Guid Id, string? Label, string OriginalName);
public sealed record ApiSearch(Guid Id, string Status, int TrialsTotal, int TrialsCompleted, string? Error, Guid? BestTrialId = null);
public sealed record ApiEpoch(int Epoch, double TrainLoss, double ValLoss, double ValMetric, double Seconds);
public sealed record ApiMistake(Guid ItemId, string TrueLabel, string PredictedLabel, double Confidence, string? CurrentLabel);
public sealed record ApiMistakes(int Total, int TestCount, List<ApiMistake> Items);
public sealed record ApiSuggestionRun(string Status, string Strategy, int Total);
public sealed record ApiTrial(Guid Id, int Number, string Status, string? Error, List<ApiEpoch> Epochs, double? LatencyMs = null);

/// <summary>The REST API with the bootstrap admin's key: prepares data and checks what the browser saved.</summary>
public sealed class StudioApi(StudioServer server) : IDisposable
{
    private sealed record Page(int Total, List<ApiItem> Items);
    private sealed record Created(Guid Id);
    private sealed record DatasetState(string Status, string? Error);
    private sealed record QualityState(DateTimeOffset? ComputedAt);

    private readonly HttpClient _http = new()
    {
        BaseAddress = new Uri(server.BaseUrl),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", server.ApiKey) },
    };

    public async Task<Guid> UploadReadyAsync(string zipPath, string name)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(name), "name");
        form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(zipPath)), "file", Path.GetFileName(zipPath));
        var response = await _http.PostAsync("/api/v1/datasets", form);
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<Created>())!.Id;
        for (var deadline = DateTime.UtcNow.AddSeconds(90); DateTime.UtcNow < deadline; await Task.Delay(300))
        {
            var status = await _http.GetFromJsonAsync<DatasetState>($"/api/v1/datasets/{id}");
            if (status!.Status == "ready") return id;
            if (status.Status == "failed") throw new InvalidOperationException("Import failed: " + status.Error);
        }
        throw new TimeoutException("The import did not finish");
    }

    /// <summary>Uploads loose image files (the unlabeled pool) and waits until the import is ready.</summary>
    public async Task<Guid> UploadFilesReadyAsync(IEnumerable<string> paths, string name)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(name), "name");
        foreach (var path in paths) form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(path)), "file", Path.GetFileName(path));
        var response = await _http.PostAsync("/api/v1/datasets", form);
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<Created>())!.Id;
        for (var deadline = DateTime.UtcNow.AddSeconds(90); DateTime.UtcNow < deadline; await Task.Delay(300))
            if ((await _http.GetFromJsonAsync<DatasetState>($"/api/v1/datasets/{id}"))!.Status == "ready") return id;
        throw new TimeoutException("The import did not finish");
    }

    /// <summary>Waits until the full quality report (computed after the import) is stored.</summary>
    public async Task WaitForQualityAsync(Guid datasetId)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(300))
            if ((await _http.GetFromJsonAsync<QualityState>($"/api/v1/datasets/{datasetId}/quality"))!.ComputedAt is not null) return;
        throw new TimeoutException("The quality report was not computed");
    }

    /// <summary>Items in the labeling grid's order (file name, then id).</summary>
    public async Task<List<ApiItem>> ItemsAsync(Guid datasetId) =>
        (await _http.GetFromJsonAsync<Page>($"/api/v1/datasets/{datasetId}/items?take=1000"))!.Items;

    public async Task<List<string>> LabelsAsync(Guid datasetId) =>
        (await _http.GetFromJsonAsync<List<string>>($"/api/v1/datasets/{datasetId}/labels"))!;

    public async Task AssignAsync(Guid datasetId, IEnumerable<Guid> itemIds, string? label) =>
        (await _http.PostAsJsonAsync($"/api/v1/datasets/{datasetId}/labels/assign", new { itemIds, label })).EnsureSuccessStatusCode();

    public async Task CreateUserAsync(string email, string password, string role, string displayName)
    {
        var response = await _http.PostAsJsonAsync("/api/v1/users", new { email, password, role, displayName });
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Polls until the stored labels are as expected: each key press is saved a moment after it is typed.</summary>
    public async Task<List<ApiItem>> WaitForLabelsAsync(Guid datasetId, Func<List<ApiItem>, bool> expected, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var items = await ItemsAsync(datasetId);
            if (expected(items) || DateTime.UtcNow > deadline) return items;
            await Task.Delay(200);
        }
    }

    public async Task<Guid> StartSearchAsync(Guid datasetId, string algorithm, int maxTrials, int maxEpochsPerTrial, double maxMinutes, int seed,
        object? objective = null)
    {
        var response = await _http.PostAsJsonAsync("/api/v1/searches",
            new { datasetId, algorithm, seed, budget = new { maxTrials, maxMinutes, maxEpochsPerTrial }, objective });
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException(await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<Created>())!.Id;
    }

    /// <summary>A JSON request that must succeed.</summary>
    public async Task PostJsonAsync(string url, object body)
    {
        var response = await _http.PostAsJsonAsync(url, body);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{url}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>An action without a body (pause, resume, cancel); fails the test unless it succeeds.</summary>
    public async Task PostAsync(string url)
    {
        var response = await _http.PostAsync(url, null);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{url}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Removes the imported weights of <paramref name="architecture"/> if there are any, so other journeys search without them.</summary>
    public async Task RemoveBackboneAsync(string architecture) => await _http.DeleteAsync($"/api/v1/backbones/{architecture}");

    /// <summary>The dataset's latest label-suggestion run.</summary>
    public async Task<ApiSuggestionRun> SuggestionsAsync(Guid datasetId) =>
        (await _http.GetFromJsonAsync<ApiSuggestionRun>($"/api/v1/datasets/{datasetId}/suggestions"))!;

    public async Task<ApiSearch> SearchAsync(Guid searchId) =>
        (await _http.GetFromJsonAsync<ApiSearch>($"/api/v1/searches/{searchId}"))!;

    public async Task<List<ApiTrial>> TrialsAsync(Guid searchId) =>
        (await _http.GetFromJsonAsync<List<ApiTrial>>($"/api/v1/searches/{searchId}/trials"))!;

    public async Task<ApiSearch> WaitForSearchEndAsync(Guid searchId, TimeSpan timeout)
    {
        for (var deadline = DateTime.UtcNow + timeout; DateTime.UtcNow < deadline; await Task.Delay(500))
        {
            var search = await SearchAsync(searchId);
            if (search.Status is "completed" or "failed" or "cancelled") return search;
        }
        throw new TimeoutException($"Search {searchId} did not end within {timeout}");
    }

    /// <summary>The search's misclassified test examples, most confident first.</summary>
    public async Task<ApiMistakes> MistakesAsync(Guid searchId) =>
        (await _http.GetFromJsonAsync<ApiMistakes>($"/api/v1/searches/{searchId}/misclassified?limit=200"))!;

    /// <summary>Registers a finished trial as the next version of <paramref name="name"/>; returns the model's id.</summary>
    public async Task<Guid> RegisterAsync(Guid trialId, string name)
    {
        var response = await _http.PostAsJsonAsync("/api/v1/models", new { trialId, name });
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException(await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<Created>())!.Id;
    }

    /// <summary>Deploys the newest version of a registered model; returns the endpoint's id.</summary>
    public async Task<Guid> DeployAsync(Guid modelId, string name)
    {
        var response = await _http.PostAsJsonAsync("/api/v1/endpoints", new { modelId, name });
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException(await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<Created>())!.Id;
    }

    /// <summary>A regression endpoint's value for one row.</summary>
    public async Task<double> PredictValueAsync(Guid endpointId, object row)
    {
        var response = await _http.PostAsJsonAsync($"/api/v1/endpoints/{endpointId}/predict", new { instances = new[] { row } });
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException(await response.Content.ReadAsStringAsync());
        var answer = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return answer.GetProperty("predictions")[0].GetProperty("value").GetDouble();
    }

    public void Dispose() => _http.Dispose();
}
