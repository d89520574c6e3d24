using System.Net.Http.Headers;
using AutoMLStudio.E2E.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AutoMLStudio.E2E;

/// <summary>
/// The Content-Security-Policy is strict enough to stop injected scripts, so it must be checked where it bites: in a
/// browser, on every main page, with the charts drawn and the API reference rendered, and without a request leaving the studio.
/// </summary>
[Collection(StudioCollection.Name)]
public sealed class SecurityPolicyTests(StudioFixture studio, ITestOutputHelper output) : IDisposable
{
    private readonly StudioApi _api = new(studio.Server);
    private readonly string _work = Directory.CreateTempSubdirectory("amls-e2e-csp").FullName;

    [Fact]
    public async Task Every_main_page_and_the_api_reference_work_under_the_policy_and_fetch_only_from_the_studio()
    {
        var datasetId = await _api.UploadReadyAsync(TestZip.Create(_work, perClass: 12), "Policy colours");
        var searchId = await _api.StartSearchAsync(datasetId, "random", maxTrials: 2, maxEpochsPerTrial: 2, maxMinutes: 4, seed: 3);
        var search = await _api.WaitForSearchEndAsync(searchId, TimeSpan.FromMinutes(4));
        Assert.Equal("completed", search.Status);
        var endpointId = await _api.DeployAsync(await _api.RegisterAsync(search.BestTrialId!.Value, "policy-model"), "policy-endpoint");
        await PredictOnceAsync(endpointId);

        var page = await studio.SignedInAsync();
        var violations = new List<string>();
        var outside = new List<string>();
        var studioOrigin = new Uri(studio.Server.BaseUrl);
        await page.ExposeFunctionAsync("__cspViolation", (string report) => { lock (violations) violations.Add($"{page.Url}: {report}"); });
        await page.AddInitScriptAsync("""
            document.addEventListener('securitypolicyviolation',
                e => window.__cspViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`));
            """);
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) lock (violations) violations.Add($"{page.Url}: {message.Text}");
        };
        page.Context.Request += (_, request) =>
        {
            if (Uri.TryCreate(request.Url, UriKind.Absolute, out var url) && url.Scheme is not ("data" or "blob")
                && (url.Host != studioOrigin.Host || url.Port != studioOrigin.Port)) lock (outside) outside.Add(request.Url);
        };
        page.WebSocket += (_, socket) =>
        {
            var url = new Uri(socket.Url);
            if (url.Host != studioOrigin.Host || url.Port != studioOrigin.Port) lock (outside) outside.Add(socket.Url);
        };

        try
        {
            await VisitAsync(page, "/", ".mud-main-content");
            await VisitAsync(page, "/datasets", ".mud-main-content");
            await VisitAsync(page, $"/datasets/{datasetId}", ".mud-main-content");
            await VisitAsync(page, "/searches", ".mud-main-content");
            await VisitAsync(page, $"/searches/{searchId}", "svg.learning-curves circle.curve-point");
            await studio.ShotAsync(page, "csp-search-charts");
            await VisitAsync(page, "/models", ".mud-main-content");
            await VisitAsync(page, "/endpoints", ".mud-main-content");
            await VisitAsync(page, $"/endpoints/{endpointId}", ".mud-main-content");
            await VisitAsync(page, "/admin", ".mud-main-content");

            // The API reference is not a Blazor page: wait until Scalar has drawn the operations from the OpenAPI document.
            await page.GotoAsync("/scalar/v1");
            await page.GetByText("Upload a dataset").First.WaitForAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(studio.ScreenshotDir, "csp-api-reference.png") });

            Assert.True(violations.Count == 0, "Content-Security-Policy violations:\n" + string.Join("\n", violations));
            Assert.True(outside.Count == 0, "Requests that left the studio:\n" + string.Join("\n", outside));
        }
        catch
        {
            await studio.ShotAsync(page, "csp-failure");
            output.WriteLine(studio.Server.Log);
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private static async Task VisitAsync(IPage page, string path, string drawn)
    {
        await page.GotoAsync(path);
        await Interactive.WaitAsync(page);
        await page.Locator(drawn).First.WaitForAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    /// <summary>One call through the API, so the endpoint's monitoring charts have a point to draw.</summary>
    private async Task PredictOnceAsync(Guid endpointId)
    {
        using var http = new HttpClient { BaseAddress = new Uri(studio.Server.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", studio.Server.ApiKey);
        var image = TestZip.LooseImages(_work, 1)[0];
        using var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(image)), "file", "photo.png" } };
        (await http.PostAsync($"/api/v1/endpoints/{endpointId}/predict", form)).EnsureSuccessStatusCode();
    }

    public void Dispose()
    {
        _api.Dispose();
        Directory.Delete(_work, recursive: true);
    }
}
