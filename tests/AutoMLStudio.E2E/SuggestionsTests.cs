using AutoMLStudio.E2E.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AutoMLStudio.E2E;

/// <summary>
/// A labeler lets a registered model suggest labels for an unlabeled pool, takes one suggestion with Enter and
/// corrects the next with a number key; the rest stay suggestions, not labels.
/// </summary>
[Collection(StudioCollection.Name)]
public sealed class SuggestionsTests(StudioFixture studio, ITestOutputHelper output) : IDisposable
{
    private readonly StudioApi _api = new(studio.Server);
    private readonly string _work = Directory.CreateTempSubdirectory("amls-e2e-suggest").FullName;

    public void Dispose()
    {
        _api.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Labeler_gets_suggestions_in_least_sure_order_confirms_one_with_enter_and_corrects_the_next()
    {
        var source = await _api.UploadReadyAsync(TestZip.Create(_work, perClass: 12), "Suggestion teacher colours");
        var search = await _api.StartSearchAsync(source, "random", maxTrials: 2, maxEpochsPerTrial: 6, maxMinutes: 5, seed: 8);
        var finished = await _api.WaitForSearchEndAsync(search, TimeSpan.FromMinutes(3));
        await _api.RegisterAsync(finished.BestTrialId!.Value, "colour helper");
        var pool = await _api.UploadFilesReadyAsync(TestZip.LooseImages(_work, 9), "Suggestion pool");
        // The classes exist as labels (keys 1, 2, 3 in name order), as they would once the labeler has named them.
        foreach (var label in TestZip.Classes) await _api.PostJsonAsync($"/api/v1/datasets/{pool}/labels", new { name = label });

        await studio.JourneyAsync(output, "suggestions", async page =>
        {
            var labeling = new LabelingPage(page);
            await labeling.GotoAsync(pool);
            var panel = page.Locator(".suggestion-panel");
            await panel.Locator(".suggestion-model").ClickAsync();
            await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = "colour helper v1" }).ClickAsync();
            await page.Locator(".mud-popover-open").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
            // Ask first about items the model is unsure of and that differ from each other (BADGE).
            await panel.Locator(".suggestion-strategy").ClickAsync();
            await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = "Unsure and unlike each other" }).ClickAsync();
            await page.Locator(".mud-popover-open").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
            await panel.Locator(".suggest-labels").ClickAsync();

            // When the model is through, the grid shows the pool in the order to label it, each tile with its suggestion.
            await page.Locator(".filter-label-next.mud-chip-color-primary").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
            await Assertions.Expect(page.Locator(".label-tile .tile-label.suggested")).ToHaveCountAsync(9);
            await Assertions.Expect(panel).ToContainTextAsync("Suggestions from colour helper v1 for 9 items");
            await studio.ShotAsync(page, "30-labeling-suggestions");
            var run = await _api.SuggestionsAsync(pool);
            Assert.Equal(("completed", "badge"), (run.Status, run.Strategy));

            var first = (await labeling.Tile(0).GetAttributeAsync("title"))!;
            var second = (await labeling.Tile(1).GetAttributeAsync("title"))!;
            var suggestion = (await labeling.TileLabel(0).InnerTextAsync()).Split('?')[0];
            await labeling.Tile(0).ClickAsync();
            await Assertions.Expect(page.Locator(".preview-suggestion")).ToContainTextAsync($"Suggested: {suggestion}");
            await labeling.PressAsync("Enter");
            await Assertions.Expect(labeling.TileLabel(0)).ToHaveTextAsync(suggestion);
            // The next one the labeler knows better: its true class (loose images cycle blue, green, red) by its number key.
            var truth = TestZip.Classes[int.Parse(second["loose-".Length..^".png".Length]) % TestZip.Classes.Length];
            await labeling.PressAsync((Array.IndexOf(TestZip.Classes, truth) + 1).ToString());
            await Assertions.Expect(labeling.TileLabel(1)).ToHaveTextAsync(truth);
            await page.Locator(".saved").WaitForAsync();
            await studio.ShotAsync(page, "31-labeling-suggestion-confirmed");

            var saved = await _api.WaitForLabelsAsync(pool, all => all.Count(i => i.Label is not null) == 2);
            Assert.Equal(suggestion, saved.Single(i => i.OriginalName == first).Label);
            Assert.Equal(truth, saved.Single(i => i.OriginalName == second).Label);
            Assert.Equal(7, saved.Count(i => i.Label is null));
        });
    }
}

/// <summary>
/// The loop an expert runs alone: train on a few labels, let that model suggest the rest, confirm the ones it is least
/// sure of, train again; the dataset page plots the test accuracy of each round against its labels.
/// </summary>
[Collection(StudioCollection.Name)]
public sealed class LabelingLoopTests(StudioFixture studio, ITestOutputHelper output) : IDisposable
{
    private readonly StudioApi _api = new(studio.Server);
    private readonly string _work = Directory.CreateTempSubdirectory("amls-e2e-loop").FullName;

    public void Dispose()
    {
        _api.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Expert_trains_on_a_few_labels_lets_the_model_suggest_confirms_its_least_sure_and_sees_accuracy_per_round()
    {
        var datasetId = await _api.UploadReadyAsync(TestZip.Create(_work, perClass: 12), "Loop colours");
        // Half the images lose their labels: the unlabeled pool the loop works through.
        var items = await _api.ItemsAsync(datasetId);
        await _api.AssignAsync(datasetId, items.Where((_, i) => i % 2 == 1).Select(i => i.Id), null);

        await studio.JourneyAsync(output, "labeling-loop", async page =>
        {
            var dataset = new DatasetPage(page);
            await page.GotoAsync($"/datasets/{datasetId}");
            await dataset.WaitUntilReadyAsync();
            await Interactive.WaitAsync(page);
            await Assertions.Expect(page.Locator(".label-progress-empty")).ToBeVisibleAsync();
            await TrainAsync(page, dataset);

            var search = new SearchPage(page);
            await search.WaitForCompletionAsync(TimeSpan.FromMinutes(3));
            await page.ClickAsync(".suggest-with-model");
            await page.WaitForURLAsync($"**/datasets/{datasetId}/label?view=next");
            await page.Locator(".filter-label-next.mud-chip-color-primary").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
            await Assertions.Expect(page.Locator(".suggestion-panel")).ToContainTextAsync("Loop colours assistant v1");

            var labeling = new LabelingPage(page);
            await page.Locator("body[data-labeling-keys=on]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
            await labeling.Tile(0).ClickAsync();
            await labeling.PressAsync("Enter", "Enter", "Enter", "Enter");
            await page.Locator(".saved").WaitForAsync();
            await _api.WaitForLabelsAsync(datasetId, all => all.Count(i => i.Label is not null) == 22);

            await page.GotoAsync($"/datasets/{datasetId}");
            await dataset.WaitUntilReadyAsync();
            await Interactive.WaitAsync(page);
            await TrainAsync(page, dataset);
            await search.WaitForCompletionAsync(TimeSpan.FromMinutes(3));

            await page.GotoAsync($"/datasets/{datasetId}");
            await dataset.WaitUntilReadyAsync();
            await Interactive.WaitAsync(page);
            var rounds = page.Locator(".label-progress-chart circle.label-round");
            await Assertions.Expect(rounds).ToHaveCountAsync(2);
            var labels = await rounds.EvaluateAllAsync<int[]>("cs => cs.map(c => +c.dataset.labels)");
            Assert.Equal([18, 22], labels);
            await page.Locator(".label-progress-panel").ScrollIntoViewIfNeededAsync();
            await studio.ShotAsync(page, "32-labels-and-accuracy");
        });
    }

    private static async Task TrainAsync(IPage page, DatasetPage dataset)
    {
        await dataset.OpenTrainFormAsync();
        await dataset.SetBudgetAsync(maxTrials: 1, maxMinutes: 3, maxEpochs: 4);
        await dataset.StartTrainingAsync();
    }
}
