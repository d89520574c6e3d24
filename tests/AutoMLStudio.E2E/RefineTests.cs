using AutoMLStudio.E2E.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AutoMLStudio.E2E;

/// <summary>A finished search is refined in the UI with a cost of mistakes and a smaller size, and keeps what it had learned.</summary>
[Collection(StudioCollection.Name)]
public sealed class RefineTests(StudioFixture studio, ITestOutputHelper output) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("amls-e2e-refine").FullName;

    [Fact]
    public async Task Expert_refines_a_finished_search_with_a_cost_and_a_parameter_limit_and_the_earlier_trials_are_rescored()
    {
        await studio.JourneyAsync(output, "refine", async page =>
        {
            var datasets = new DatasetsPage(page);
            await datasets.GotoAsync();
            await datasets.ChooseAsync("Refined colours", TestZip.Create(_work, perClass: 8));
            await datasets.UploadAsync();
            var dataset = new DatasetPage(page);
            await dataset.WaitUntilReadyAsync();
            await dataset.OpenTrainFormAsync();
            await dataset.SetBudgetAsync(maxTrials: 2, maxMinutes: 4, maxEpochs: 1);
            await dataset.StartTrainingAsync();

            var search = new SearchPage(page);
            await search.WaitForCompletionAsync(TimeSpan.FromMinutes(4));
            await Assertions.Expect(search.FinalRetrainResult).ToContainTextAsync("Trained on train+validation, 1 epoch");
            var parameters = await search.TrialParamsAsync();
            var limit = parameters.Max() - 1;
            output.WriteLine($"Earlier trials: {string.Join(", ", parameters)} parameters; new limit {limit}");

            await search.OpenRefineFormAsync();
            await Assertions.Expect(page.Locator(".train-form")).ToContainTextAsync("Refine this search");
            await Assertions.Expect(page.Locator("#max-trials")).ToHaveValueAsync("1");
            await Assertions.Expect(page.Locator("#max-epochs")).ToHaveValueAsync("1");
            // The train form is the same component as on the dataset page, so its page object's form helpers apply here too.
            var form = new DatasetPage(page);
            await form.ChooseMetricAsync("Cost of mistakes");
            await form.SetCostAsync(truth: 2, predicted: 0, cost: 10);
            await form.SetMaxParamsAsync(limit);
            await Shot(page, "refine-form");
            await search.StartRefiningAsync();

            await Assertions.Expect(search.RefinesBanner).ToContainTextAsync("2 earlier trials re-scored", new() { Timeout = 60_000 });
            await search.WaitForCompletionAsync(TimeSpan.FromMinutes(4));
            await Assertions.Expect(search.Metric).ToHaveTextAsync("cost per item");
            await Assertions.Expect(search.TrialRows).ToHaveCountAsync(3);
            await Assertions.Expect(search.InheritedChips).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator(".trial-table .trial-error", new PageLocatorOptions { HasText = "parameter limit" })).ToHaveCountAsync(1);
            await Shot(page, "refine-search-finished");

            // The dataset's leaderboard ranks the two searches apart: they optimised different things.
            await page.ClickAsync("a[href^='/datasets/'] >> nth=0");
            await page.ClickAsync(".leaderboard-button");
            await Assertions.Expect(page.Locator(".leaderboard-group")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator(".leaderboard-group").Nth(0)).ToContainTextAsync("accuracy");
            await Assertions.Expect(page.Locator(".leaderboard-group").Nth(1)).ToContainTextAsync("cost per item");
            await Assertions.Expect(page.Locator(".leaderboard-entry.leader")).ToHaveCountAsync(2);
            await Shot(page, "leaderboard-dataset");
            await page.Locator(".leaderboard-search").First.ClickAsync();
            await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/searches/[0-9a-f-]{36}$"));
        });
    }

    private Task Shot(IPage page, string name) => studio.ShotAsync(page, name);

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
