using System.Globalization;
using System.Text;
using AutoMLStudio.E2E.Pages;
using Microsoft.Playwright;

namespace AutoMLStudio.E2E;

/// <summary>A regression search on a table shows its errors in the label's units, not an accuracy or a confusion matrix.</summary>
[Collection(StudioCollection.Name)]
public sealed class TabularSearchTests(StudioFixture studio) : IDisposable
{
    private readonly StudioApi _api = new(studio.Server);
    private readonly string _work = Directory.CreateTempSubdirectory("amls-e2e-tabular").FullName;

    [Fact]
    public async Task Finished_regression_search_shows_test_rmse_and_mae_without_an_accuracy()
    {
        // y = 3 x1 - 2 x2 + noise; the column called y is taken as the label, and its many numbers make it a regression.
        var rng = new Random(3);
        var csv = new StringBuilder("x1,x2,y\n");
        for (var i = 0; i < 80; i++)
        {
            double x1 = rng.NextDouble() * 4 - 2, x2 = rng.NextDouble() * 4 - 2;
            csv.Append(CultureInfo.InvariantCulture, $"{x1:F3},{x2:F3},{3 * x1 - 2 * x2 + (rng.NextDouble() - 0.5) * 0.2:F3}\n");
        }
        var path = Path.Combine(_work, "prices.csv");
        await File.WriteAllTextAsync(path, csv.ToString());
        var datasetId = await _api.UploadReadyAsync(path, "Linear prices");
        var searchId = await _api.StartSearchAsync(datasetId, "random", maxTrials: 2, maxEpochsPerTrial: 3, maxMinutes: 5, seed: 4);

        var page = await studio.SignedInAsync();
        await page.GotoAsync($"/searches/{searchId}");
        var search = new SearchPage(page);
        await search.TestMetric.WaitForAsync(new LocatorWaitForOptions { Timeout = 180_000 });

        await Assertions.Expect(search.Metric).ToHaveTextAsync("RMSE");
        await Assertions.Expect(search.MetricDirection).ToContainTextAsync("lower");
        await Assertions.Expect(page.Locator(".test-mae")).ToBeVisibleAsync();
        await Assertions.Expect(search.TestAccuracy).ToHaveCountAsync(0);
        await Assertions.Expect(search.ConfusionMatrix).ToHaveCountAsync(0);
        await Assertions.Expect(search.TrialRows).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator(".register-model")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".no-registry")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(studio.ScreenshotDir, "40-regression-search.png"), FullPage = true });
    }

    public void Dispose()
    {
        _api.Dispose();
        Directory.Delete(_work, recursive: true);
    }
}
