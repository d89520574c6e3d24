using System.Globalization;
using System.Text;
using AutoMLStudio.E2E.Pages;
using Microsoft.Playwright;

namespace AutoMLStudio.E2E;

/// <summary>A regression search on a table shows its errors in the label's units, not an accuracy or a confusion matrix, and can be refined.</summary>
[Collection(StudioCollection.Name)]
public sealed class TabularSearchTests(StudioFixture studio) : IDisposable
{
    private readonly StudioApi _api = new(studio.Server);
    private readonly string _work = Directory.CreateTempSubdirectory("amls-e2e-tabular").FullName;

    [Fact]
    public async Task Regression_trained_from_the_form_on_mae_shows_test_mae_and_rmse_without_an_accuracy_and_refines_under_a_parameter_limit()
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
        var page = await studio.SignedInAsync();
        await page.GotoAsync($"/datasets/{datasetId}");
        await Interactive.WaitAsync(page);
        var dataset = new DatasetPage(page);
        await dataset.OpenTrainFormAsync();
        // A regression offers error metrics only: the expert picks the average error instead of the default RMSE.
        await dataset.ChooseMetricAsync("Average error (MAE)");
        await dataset.SetBudgetAsync(maxTrials: 2, maxMinutes: 5, maxEpochs: 3);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(studio.ScreenshotDir, "39-regression-train-form.png") });
        await dataset.StartTrainingAsync();
        var search = new SearchPage(page);
        await search.TestMetric.WaitForAsync(new LocatorWaitForOptions { Timeout = 180_000 });

        await Assertions.Expect(search.Metric).ToHaveTextAsync("MAE");
        await Assertions.Expect(search.MetricDirection).ToContainTextAsync("lower");
        await Assertions.Expect(page.Locator(".test-rmse")).ToBeVisibleAsync();
        await Assertions.Expect(search.TestAccuracy).ToHaveCountAsync(0);
        await Assertions.Expect(search.ConfusionMatrix).ToHaveCountAsync(0);
        await Assertions.Expect(search.TrialRows).ToHaveCountAsync(2);
        // The trial table names each trial's learner, whichever the search tried first.
        await Assertions.Expect(search.TrialRows.First).ToContainTextAsync(new System.Text.RegularExpressions.Regex("LightGBM|Linear model|Random forest|MLP"));
        await Assertions.Expect(page.Locator(".register-model")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(studio.ScreenshotDir, "40-regression-search.png"), FullPage = true });

        // Two regression trials compare on their learner, its settings and their errors; there is no confusion matrix.
        await search.TickTrialAsync(1);
        await search.TickTrialAsync(2);
        await search.CompareAsync();
        var compare = new TrialComparisonPage(page);
        await Assertions.Expect(compare.TrialColumns).ToHaveTextAsync(["Trial 1", "Trial 2"]);
        Assert.Equal(2, (await compare.ValuesAsync("Learner")).Count);
        await Assertions.Expect(page.Locator(".trial-comparison")).ToContainTextAsync("Validation MAE");
        await Assertions.Expect(compare.ConfusionMatrices).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".no-confusion")).ToContainTextAsync("Regression trials predict numbers");
        await Assertions.Expect(compare.CurveSeries).ToHaveCountAsync(2);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(studio.ScreenshotDir, "40-regression-compare.png"), FullPage = true });
        await page.GoBackAsync();
        await Assertions.Expect(search.TrialRows).ToHaveCountAsync(2);

        // Refined under a parameter limit the largest trial breaks: the earlier trials keep their MAE (the metric stays),
        // the one over the limit is carried over as pruned, and only the new budget trains.
        var limit = (await search.TrialParamsAsync()).Max() - 1;
        await search.OpenRefineFormAsync();
        await dataset.SetMaxParamsAsync(limit);
        await search.StartRefiningAsync();
        // The carried-over trials are copied while the refined search prepares; the page counts them when they arrive.
        await Assertions.Expect(search.RefinesBanner).ToContainTextAsync("2 earlier trials re-scored", new() { Timeout = 60_000 });
        await search.TestMetric.WaitForAsync(new LocatorWaitForOptions { Timeout = 180_000 });
        await Assertions.Expect(search.Metric).ToHaveTextAsync("MAE");
        await Assertions.Expect(search.InheritedChips).ToHaveCountAsync(2);
        Assert.InRange(await page.Locator(".trial-table .trial-error", new PageLocatorOptions { HasText = "parameter limit" }).CountAsync(), 1, 2);
        Assert.All(await search.TrialParamsAsync(), p => Assert.True(p > 0));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(studio.ScreenshotDir, "41-regression-refined.png"), FullPage = true });

        // Deployed, the model estimates a row typed into Try it: one field per column the model reads.
        var refined = await _api.WaitForSearchEndAsync(Guid.Parse(page.Url.Split('/', '?')[4]), TimeSpan.FromMinutes(1));
        var endpointId = await _api.DeployAsync(await _api.RegisterAsync(refined.BestTrialId!.Value, "prices"), "prices");
        await page.GotoAsync($"/endpoints/{endpointId}");
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.Locator(".try-field")).ToHaveCountAsync(2);
        async Task<double> EstimateAsync(string x1, string x2)
        {
            await page.Locator("input[data-field=x1], [data-field=x1] input").FillAsync(x1);
            await page.Locator("input[data-field=x2], [data-field=x2] input").FillAsync(x2);
            var before = await page.Locator(".predicted-value b").AllInnerTextsAsync();
            await page.ClickAsync(".predict-row");
            await Assertions.Expect(page.Locator(".predicted-value")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"Predicted value: -?\d"));
            if (before.Count > 0) await Assertions.Expect(page.Locator(".predicted-value b")).Not.ToHaveTextAsync(before[0]);
            return double.Parse(await page.Locator(".predicted-value b").InnerTextAsync(), CultureInfo.InvariantCulture);
        }
        // The page shows what a program calling the endpoint gets for the same row.
        foreach (var (x1, x2) in new[] { (1.5, -1.0), (-1.5, 1.0) })
        {
            var shown = await EstimateAsync(x1.ToString(CultureInfo.InvariantCulture), x2.ToString(CultureInfo.InvariantCulture));
            var answered = await _api.PredictValueAsync(endpointId, new { x1, x2 });
            Assert.Equal(Math.Round(answered, 4), shown, 4);
        }
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(studio.ScreenshotDir, "42-regression-try-it.png"), FullPage = true });
    }

    public void Dispose()
    {
        _api.Dispose();
        Directory.Delete(_work, recursive: true);
    }
}
