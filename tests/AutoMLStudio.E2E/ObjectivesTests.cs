using AutoMLStudio.E2E.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AutoMLStudio.E2E;

/// <summary>A domain expert says what mistakes cost and how big the model may be, in the UI, and the search honours both.</summary>
[Collection(StudioCollection.Name)]
public sealed class ObjectivesTests(StudioFixture studio, ITestOutputHelper output) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("amls-e2e-objectives").FullName;

    [Fact]
    public async Task Expert_sets_a_cost_matrix_and_a_parameter_limit_and_the_finished_search_reports_cost_within_the_limit()
    {
        const long maxParams = 20_000;
        await studio.JourneyAsync(output, "objectives", async page =>
        {
            var datasets = new DatasetsPage(page);
            await datasets.GotoAsync();
            await datasets.ChooseAsync("Costly colours", TestZip.Create(_work, perClass: 8));
            await datasets.UploadAsync();
            var dataset = new DatasetPage(page);
            await dataset.WaitUntilReadyAsync();

            await dataset.OpenTrainFormAsync();
            await dataset.SetBudgetAsync(maxTrials: 2, maxMinutes: 4, maxEpochs: 1);
            await dataset.ChooseMetricAsync("Cost of mistakes");
            await Assertions.Expect(dataset.CostMatrix.Locator("thead th.class-header")).ToHaveTextAsync(TestZip.Classes);
            // Classes are blue, green, red: calling a red image blue costs 10, every other mistake 1.
            await dataset.SetCostAsync(truth: 2, predicted: 0, cost: 10);
            await dataset.SetMaxParamsAsync(maxParams);
            await Assertions.Expect(page.Locator(".train-form")).ToContainTextAsync("you say what each kind of mistake costs");
            await Assertions.Expect(page.Locator("#cost-2-0")).ToHaveValueAsync("10");
            await Assertions.Expect(page.Locator("#cost-1-1")).ToHaveValueAsync("0");
            await Shot(page, "objectives-train-form-cost-matrix");
            await dataset.StartTrainingAsync();

            var search = new SearchPage(page);
            await search.WaitForCompletionAsync(TimeSpan.FromMinutes(4));
            await Assertions.Expect(search.Metric).ToHaveTextAsync("cost per item");
            await Assertions.Expect(search.MetricDirection).ToHaveTextAsync("lower is better");
            await Assertions.Expect(search.TrialRows).ToHaveCountAsync(2);
            var testCost = (await search.TestMetric.InnerTextAsync()).Trim();
            output.WriteLine($"Test cost per image shown: {testCost}");
            Assert.InRange(double.Parse(testCost, System.Globalization.CultureInfo.InvariantCulture), 0, 10);
            var parameters = await search.TrialParamsAsync();
            output.WriteLine($"Trial parameters: {string.Join(", ", parameters)} (limit {maxParams})");
            Assert.Equal(2, parameters.Length);
            Assert.All(parameters, p => Assert.InRange(p, 1, maxParams));
            await Assertions.Expect(search.ClassScoreRows.Locator(".class-name")).ToHaveTextAsync(TestZip.Classes);
            await Assertions.Expect(search.ConfusionMatrix).ToBeVisibleAsync();
            await Shot(page, "objectives-search-finished");

            // The team lead takes the trials to a spreadsheet.
            var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync(".export-trials"));
            Assert.EndsWith("-trials.csv", download.SuggestedFilename);
            var lines = (await File.ReadAllLinesAsync(await download.PathAsync())).Where(l => l.Length > 0).ToList();
            Assert.Equal(3, lines.Count);
            Assert.Contains("val_cost", lines[0]);
        });
    }

    private Task Shot(IPage page, string name) => studio.ShotAsync(page, name);

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
