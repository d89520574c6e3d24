using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AutoMLStudio.E2E.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AutoMLStudio.E2E;

/// <summary>An expert deploys a registered model, tries it with an image, watches it being called, hands a program a key and undeploys it.</summary>
[Collection(StudioCollection.Name)]
public sealed class EndpointsTests(StudioFixture studio, ITestOutputHelper output) : IDisposable
{
    private const string ModelName = "colour-endpoint-model";
    private const string EndpointName = "colours-e2e";

    private readonly StudioApi _api = new(studio.Server);
    private readonly string _work = Directory.CreateTempSubdirectory("amls-e2e-endpoints").FullName;

    [Fact]
    public async Task Expert_deploys_a_model_tries_an_image_watches_the_calls_gives_a_program_a_key_and_undeploys()
    {
        var datasetId = await _api.UploadReadyAsync(TestZip.Create(_work, perClass: 12), "Endpoint colours");
        var searchId = await _api.StartSearchAsync(datasetId, "random", maxTrials: 1, maxEpochsPerTrial: 1, maxMinutes: 4, seed: 4);
        var search = await _api.WaitForSearchEndAsync(searchId, TimeSpan.FromMinutes(4));
        Assert.Equal("completed", search.Status);
        await _api.RegisterAsync(search.BestTrialId!.Value, ModelName);
        var image = TestZip.LooseImages(_work, 1)[0];

        await studio.JourneyAsync(output, "endpoints", async page =>
        {
            // Models: the download is a menu of formats, and Deploy opens a dialog that lands on the new endpoint.
            await page.GotoAsync("/models");
            await Interactive.WaitAsync(page);
            var models = new ModelsPage(page);
            await models.WaitAsync();
            await models.OpenDownloadMenuAsync(ModelName);
            foreach (var format in new[] { "onnx", "torchsharp", "bundle" })
                await Assertions.Expect(models.DownloadItem(format)).ToHaveAttributeAsync("href", new Regex($"/download\\?format={format}&version=1$"));
            await page.WaitForTimeoutAsync(300); // the menu fades in
            await Shot(page, "60-models-download-menu");
            await page.Keyboard.PressAsync("Escape");

            // The version's card: what it scored and where it came from; the admin writes its intended use and ships it.
            await models.Model(ModelName).Locator(".model-version-link").First.ClickAsync();
            await Assertions.Expect(page.Locator(".model-title")).ToHaveTextAsync($"{ModelName} v1");
            await Interactive.WaitAsync(page);
            await Assertions.Expect(page.Locator(".model-classes")).ToHaveTextAsync(string.Join(", ", TestZip.Classes.Order()));
            await page.Locator(".intended-use textarea").FillAsync("Sorting <b>colour</b> swatches on the line");
            await page.Locator(".stage-select").ClickAsync();
            await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = "production" }).ClickAsync();
            // The choice reaches the server before Save is pressed: the list closes once the select has taken it.
            await page.Locator(".mud-popover-open").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
            await Assertions.Expect(page.Locator(".stage-select input")).ToHaveValueAsync("Production");
            await page.ClickAsync(".save-card");
            await Assertions.Expect(page.Locator(".save-done")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator(".model-stage")).ToHaveTextAsync("production");
            await Shot(page, "59-model-version-card");
            await page.ReloadAsync();
            await Interactive.WaitAsync(page);
            await Assertions.Expect(page.Locator(".intended-use textarea")).ToHaveValueAsync("Sorting <b>colour</b> swatches on the line");

            await page.GotoAsync("/models");
            await Interactive.WaitAsync(page);
            await models.WaitAsync();
            await Assertions.Expect(models.Stages(ModelName).First).ToHaveTextAsync("production");
            await models.DeployAsync(ModelName, EndpointName);
            var endpointId = Guid.Parse(page.Url[^36..]);
            var endpoint = new EndpointPage(page);
            await Interactive.WaitAsync(page);
            await Assertions.Expect(endpoint.Name).ToHaveTextAsync(EndpointName);

            // Try it: an uploaded PNG comes back with its three likeliest colours.
            await endpoint.TryImagesAsync(image);
            await Assertions.Expect(endpoint.Results).ToHaveCountAsync(1);
            var classes = endpoint.Results.First.Locator(".top-class-name");
            await Assertions.Expect(classes).ToHaveCountAsync(3);
            Assert.Equal(TestZip.Classes.Order(), (await classes.AllInnerTextsAsync()).Order());
            var probabilities = (await endpoint.Results.First.Locator(".probability").AllInnerTextsAsync())
                .Select(p => double.Parse(p.TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(probabilities.OrderDescending(), probabilities);
            Assert.InRange(probabilities.Sum(), 99.5, 100.5);
            await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.try-thumb')].every(i => i.complete && i.naturalWidth > 0)");
            await Shot(page, "61-endpoint-try-it");

            // Monitoring: the try counted as one request, with its latency.
            await endpoint.OpenTabAsync("Monitoring");
            await endpoint.ShowWindowAsync(15);
            await Assertions.Expect(endpoint.Requests).ToHaveTextAsync("1");
            await Assertions.Expect(endpoint.ErrorRate).ToHaveTextAsync("0.0%");
            await Assertions.Expect(endpoint.P50).ToHaveTextAsync(new Regex(@"^\d+(\.\d+)? ms$"));
            await Assertions.Expect(endpoint.TrafficPoints).ToHaveCountAsync(15);
            await Assertions.Expect(endpoint.LatencyPoints).ToHaveCountAsync(1);
            await Assertions.Expect(endpoint.DriftSummary).ToContainTextAsync("1 prediction so far");
            await Shot(page, "62-endpoint-monitoring");

            // The model was unsure of the image (one epoch on a few images): it waits in the queue, and goes to the dataset to be labeled.
            await Assertions.Expect(endpoint.LowConfidenceCards).ToHaveCountAsync(1);
            await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.low-confidence-thumb')].every(i => i.complete && i.naturalWidth > 0)");
            await endpoint.LowConfidenceCards.First.Locator(".low-confidence-check input").CheckAsync(new LocatorCheckOptions { Force = true });
            await page.ClickAsync(".send-to-dataset");
            await Assertions.Expect(page.Locator(".sent-to-dataset")).ToContainTextAsync("1 added to Endpoint colours");
            await Assertions.Expect(page.Locator(".sent-to-dataset a")).ToHaveAttributeAsync("href", $"/datasets/{datasetId}/label");
            await Assertions.Expect(endpoint.LowConfidenceCards).ToHaveCountAsync(0);
            Assert.Contains(await _api.ItemsAsync(datasetId), i => i.OriginalName.StartsWith("endpoint/", StringComparison.Ordinal) && i.Label is null);
            // Sending scrolled the page; a full-page shot taken scrolled draws the fixed app bar across the middle.
            await page.EvaluateAsync("() => window.scrollTo(0, 0)");
            await Shot(page, "62b-endpoint-sent-to-dataset");

            // API: the samples call this endpoint; a key is shown once.
            await endpoint.OpenTabAsync("API");
            await Assertions.Expect(endpoint.PredictUrl).ToHaveValueAsync($"{studio.Server.BaseUrl}/api/v1/endpoints/{endpointId}/predict");
            await Assertions.Expect(endpoint.CurlSample).ToContainTextAsync(endpointId.ToString());
            await Assertions.Expect(endpoint.CurlSample).ToContainTextAsync("-F \"file=@photo.png\"");
            await Assertions.Expect(endpoint.CSharpSample).ToContainTextAsync(endpointId.ToString());
            await Shot(page, "63-endpoint-api");
            // The dialog's backdrop covers the window only, so this one shot is of the window, not the whole page.
            var key = await endpoint.CreateKeyAsync("e2e-client", requestsPerSecond: 5,
                () => page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(studio.ScreenshotDir, "64-endpoint-key-shown-once.png") }));
            Assert.False(string.IsNullOrWhiteSpace(key));
            await Assertions.Expect(endpoint.KeyRows).ToHaveCountAsync(1);
            await Assertions.Expect(endpoint.KeyRows.First).ToContainTextAsync("e2e-client");
            await Assertions.Expect(endpoint.KeyRows.First).ToContainTextAsync("5 per second");
            await Assertions.Expect(page.Locator(".api-key-secret")).ToHaveCountAsync(0);

            // A program predicts with the key, as the curl sample does.
            using (var http = new HttpClient { BaseAddress = new Uri(studio.Server.BaseUrl) })
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
                using var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(image)), "file", "photo.png" } };
                var response = await http.PostAsync($"/api/v1/endpoints/{endpointId}/predict", form);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                var label = answer.RootElement.GetProperty("predictions")[0].GetProperty("label").GetString();
                Assert.Contains(label, TestZip.Classes);
            }

            // The list links to it; reopened, its monitoring counts the program's call too.
            await page.Locator("nav a[href='/endpoints'], .mud-nav-link[href='/endpoints']").First.ClickAsync();
            var row = page.Locator(".endpoints-table tbody tr", new PageLocatorOptions { HasText = EndpointName });
            await Assertions.Expect(row).ToContainTextAsync($"{ModelName} v1");
            await Assertions.Expect(row).ToContainTextAsync("Colour images");
            await Shot(page, "65-endpoints-list");
            await row.Locator("a").ClickAsync();
            await Assertions.Expect(endpoint.Name).ToHaveTextAsync(EndpointName);
            await endpoint.OpenTabAsync("Monitoring");
            await Assertions.Expect(endpoint.Requests).ToHaveTextAsync("2");

            // Batch: a zip of images is predicted in the background into a results spreadsheet.
            await endpoint.OpenTabAsync("Batch");
            var batchZip = TestZip.Create(Directory.CreateTempSubdirectory("amls-e2e-batch").FullName, perClass: 3);
            await Interactive.ChooseFilesAsync(page.Locator(".batch-upload input[type=file]"), batchZip);
            await Assertions.Expect(page.Locator(".batch-results")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            // Nine images and red/bad.png, which is not one: it gets its reason, the others their classes.
            await Assertions.Expect(page.Locator(".batch-progress")).ToHaveTextAsync("10 of 10");
            await Assertions.Expect(page.Locator(".batch td").Nth(3)).ToHaveTextAsync("1");
            var results = await page.RunAndWaitForDownloadAsync(() => page.Locator(".batch-results").ClickAsync());
            var resultsPath = Path.Combine(_work, results.SuggestedFilename);
            await results.SaveAsAsync(resultsPath);
            var lines = await File.ReadAllLinesAsync(resultsPath);
            Assert.StartsWith("file,label,score,", lines[0]);
            Assert.Equal(11, lines.Length);
            Assert.Contains("could not be read as an image", lines.Single(l => l.StartsWith("red/bad.png", StringComparison.Ordinal)));
            await Shot(page, "65b-endpoint-batch");

            // Settings: undeploying leaves the list without it.
            await endpoint.OpenTabAsync("Settings");
            await Assertions.Expect(page.Locator(".swap-version")).ToBeVisibleAsync();
            await Shot(page, "66-endpoint-settings");
            await endpoint.UndeployAsync();
            await page.WaitForURLAsync(new Regex("/endpoints$"));
            await Assertions.Expect(page.Locator(".endpoints-empty, .endpoints-table")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator(".endpoints-table tbody tr", new PageLocatorOptions { HasText = EndpointName })).ToHaveCountAsync(0);
            await Shot(page, "67-endpoints-after-undeploy");
        });
    }

    private Task Shot(IPage page, string name) => studio.ShotAsync(page, name);

    public void Dispose()
    {
        _api.Dispose();
        Directory.Delete(_work, recursive: true);
    }
}
