using AutoMLStudio.E2E.Pages;
using Microsoft.Playwright;

namespace AutoMLStudio.E2E;

/// <summary>A NAC search that trades accuracy against parameters shows its Pareto front on the search page.</summary>
[Collection(StudioCollection.Name)]
public sealed class ParetoSearchTests(StudioFixture studio) : IDisposable
{
    private readonly StudioApi _api = new(studio.Server);
    private readonly string _work = Directory.CreateTempSubdirectory("amls-e2e-pareto").FullName;

    [Fact]
    public async Task Search_trading_accuracy_against_parameters_plots_its_trials_with_the_front_highlighted()
    {
        var datasetId = await _api.UploadReadyAsync(TestZip.Create(_work, perClass: 12), "Pareto colours");
        var searchId = await _api.StartSearchAsync(datasetId, "nac", maxTrials: 5, maxEpochsPerTrial: 4, maxMinutes: 10, seed: 5,
            objective: new { metric = "accuracy", tradeOff = "params" });

        var page = await studio.SignedInAsync();
        await page.GotoAsync($"/searches/{searchId}");
        var search = new SearchPage(page);
        await search.WaitForCompletionAsync(TimeSpan.FromMinutes(4));
        var completed = (await _api.TrialsAsync(searchId)).Count(t => t.Status == "completed");

        await Assertions.Expect(search.ParetoPoints).ToHaveCountAsync(completed);
        Assert.InRange(await search.ParetoFrontPoints.CountAsync(), 1, completed);
        await Assertions.Expect(search.ParetoPanel).ToContainTextAsync("parameters (log scale)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(studio.ScreenshotDir, "30-pareto-front.png"), FullPage = true });
        await search.ParetoPanel.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(studio.ScreenshotDir, "31-pareto-panel.png") });

        // Each chart downloads as a PNG drawn at twice its 720 x 300 viewBox.
        foreach (var (panel, name) in new[] { (search.ParetoPanel, "pareto-front"), (search.CurvesPanel, "validation-accuracy") })
        {
            var (file, png) = await search.DownloadChartAsync(panel);
            Assert.EndsWith($"{name}.png", file);
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
            Assert.Equal((1440, 600), (BigEndian(png, 16), BigEndian(png, 20)));
            await File.WriteAllBytesAsync(Path.Combine(studio.ScreenshotDir, $"33-download-{name}.png"), png);
        }
    }

    [Fact]
    public async Task Expert_asks_for_smaller_models_under_a_latency_limit_in_the_form_and_gets_a_front_within_the_limit()
    {
        const double maxLatencyMs = 5_000;
        var page = await studio.SignedInAsync();
        var datasets = new DatasetsPage(page);
        await datasets.GotoAsync();
        await datasets.ChooseAsync("Front colours", TestZip.Create(_work, perClass: 8));
        await datasets.UploadAsync();
        var dataset = new DatasetPage(page);
        await dataset.WaitUntilReadyAsync();

        await dataset.OpenTrainFormAsync();
        await dataset.SetBudgetAsync(maxTrials: 3, maxMinutes: 4, maxEpochs: 1);
        await dataset.SetMaxLatencyAsync(maxLatencyMs);
        await dataset.ChooseTradeOffAsync("Smaller models");
        await Assertions.Expect(page.Locator(".train-form")).ToContainTextAsync("shown as a front on the search page");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(studio.ScreenshotDir, "32-train-form-trade-off.png"), FullPage = true });
        var searchId = await dataset.StartTrainingAsync();

        var search = new SearchPage(page);
        await search.WaitForCompletionAsync(TimeSpan.FromMinutes(4));
        var trials = await _api.TrialsAsync(searchId);
        var completed = trials.Count(t => t.Status == "completed");
        Assert.All(trials, t => Assert.InRange(t.LatencyMs ?? double.NaN, 1e-4, maxLatencyMs));
        await Assertions.Expect(search.ParetoPoints).ToHaveCountAsync(completed);
        Assert.InRange(await search.ParetoFrontPoints.CountAsync(), 1, completed);
    }

    private static int BigEndian(byte[] bytes, int at) => bytes[at] << 24 | bytes[at + 1] << 16 | bytes[at + 2] << 8 | bytes[at + 3];

    public void Dispose()
    {
        _api.Dispose();
        Directory.Delete(_work, recursive: true);
    }
}
