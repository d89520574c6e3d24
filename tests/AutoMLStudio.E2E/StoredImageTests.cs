using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AutoMLStudio.E2E.Pages;
using Microsoft.Playwright;
using SkiaSharp;
using Xunit.Abstractions;

namespace AutoMLStudio.E2E;

/// <summary>
/// The stored XSS a Viewer could plant: a valid PNG with a page appended, sent to an endpoint as evil.html, put into the
/// dataset from the low-confidence queue. A signed-in browser that opens the item's image URL must run none of its script.
/// </summary>
[Collection(StudioCollection.Name)]
public sealed class StoredImageTests(StudioFixture studio, ITestOutputHelper output) : IDisposable
{
    private const string Probe = "/pwned-by-stored-xss";

    private readonly string _work = Directory.CreateTempSubdirectory("amls-e2e-polyglot").FullName;

    [Fact]
    public async Task A_png_sent_as_evil_html_and_sent_to_the_dataset_runs_no_script_when_a_signed_in_browser_opens_it()
    {
        // Every prediction joins the low-confidence queue, as an unsure one would.
        await using var server = await StudioServer.StartAsync(TimeSpan.FromSeconds(90),
            new Dictionary<string, string> { ["Hosting__LowConfidence"] = "1" });
        using var api = new StudioApi(server);
        var datasetId = await api.UploadReadyAsync(TestZip.Create(_work, perClass: 6), "Polyglot colours");
        var searchId = await api.StartSearchAsync(datasetId, "random", maxTrials: 1, maxEpochsPerTrial: 1, maxMinutes: 4, seed: 8);
        var search = await api.WaitForSearchEndAsync(searchId, TimeSpan.FromMinutes(4));
        Assert.Equal("completed", search.Status);
        var endpointId = await api.DeployAsync(await api.RegisterAsync(search.BestTrialId!.Value, "polyglot"), "polyglot");

        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.ApiKey);
        var script = $"<html><body><script>window.pwned = true; document.title = 'pwned'; fetch('{Probe}');</script></body></html>";
        byte[] polyglot = [.. RedPng(), .. Encoding.UTF8.GetBytes(script)];
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(polyglot);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/html");
        form.Add(file, "file", "evil.html");
        (await http.PostAsync($"/api/v1/endpoints/{endpointId}/predict", form)).EnsureSuccessStatusCode();
        var queued = (await http.GetFromJsonAsync<JsonElement>($"/api/v1/endpoints/{endpointId}/low-confidence")).EnumerateArray()
            .Select(i => i.GetProperty("id").GetGuid()).ToList();
        (await http.PostAsJsonAsync($"/api/v1/endpoints/{endpointId}/low-confidence/send", new { ids = queued })).EnsureSuccessStatusCode();
        var item = (await api.ItemsAsync(datasetId)).Single(i => i.OriginalName.EndsWith("evil.html", StringComparison.Ordinal));

        var context = await studio.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl, AcceptDownloads = true });
        try
        {
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout(30_000);
            await new LoginPage(page).GotoAsync();
            await new LoginPage(page).SignInAndWaitAsync(StudioServer.AdminEmail, StudioServer.AdminPassword);
            var requested = new List<string>();
            context.Request += (_, request) => { lock (requested) requested.Add(request.Url); };

            var response = await page.GotoAsync($"/api/v1/datasets/{datasetId}/items/{item.Id}/image");
            await page.WaitForTimeoutAsync(1500); // time for a script, had one run, to set the title and call home

            lock (requested) Assert.DoesNotContain(requested, url => url.Contains(Probe, StringComparison.Ordinal));
            Assert.NotEqual("pwned", await page.TitleAsync());
            Assert.False(await page.EvaluateAsync<bool>("() => window.pwned === true"));
            Assert.Equal("image/png", response!.Headers["content-type"]);
        }
        catch
        {
            output.WriteLine(server.Log);
            throw;
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private static byte[] RedPng()
    {
        using var bitmap = new SKBitmap(16, 16);
        bitmap.Erase(new SKColor(220, 30, 30));
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
