using AutoMLStudio.E2E.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AutoMLStudio.E2E;

/// <summary>An expert looks at what the finished model got wrong on the test set and fixes a wrong label from there.</summary>
[Collection(StudioCollection.Name)]
public sealed class MistakesTests(StudioFixture studio, ITestOutputHelper output) : IDisposable
{
    private readonly StudioApi _api = new(studio.Server);
    private readonly string _work = Directory.CreateTempSubdirectory("amls-e2e-mistakes").FullName;

    [Fact]
    public async Task Expert_opens_the_gallery_of_test_mistakes_and_relabels_one_example_in_the_labeling_view()
    {
        var datasetId = await _api.UploadReadyAsync(TestZip.WithWrongLabels(_work), "Mislabeled colours");
        var searchId = await _api.StartSearchAsync(datasetId, "random", maxTrials: 1, maxEpochsPerTrial: 1, maxMinutes: 4, seed: 2);
        Assert.Equal("completed", (await _api.WaitForSearchEndAsync(searchId, TimeSpan.FromMinutes(4))).Status);
        var mistakes = await _api.MistakesAsync(searchId);
        output.WriteLine($"{mistakes.Total} of {mistakes.TestCount} test images misclassified");
        Assert.True(mistakes.Total > 0, "a quarter of the labels are wrong, so the test split must hold mistakes");

        await studio.JourneyAsync(output, "mistakes", async page =>
        {
            var search = new SearchPage(page);
            await search.GotoAsync(searchId);
            await search.WaitForCompletionAsync(TimeSpan.FromSeconds(30));
            await Assertions.Expect(search.Mistakes).ToContainTextAsync(
                $"{mistakes.Total} of {mistakes.TestCount} test images misclassified, most confident first");
            await Assertions.Expect(search.MistakeCards).ToHaveCountAsync(Math.Min(mistakes.Total, 12));
            await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.mistake-thumb')].every(i => i.complete && i.naturalWidth > 0)");
            var first = mistakes.Items[0];
            var card = search.MistakeCards.First;
            await Assertions.Expect(card).ToHaveAttributeAsync("data-item", first.ItemId.ToString());
            await Assertions.Expect(card.Locator(".mistake-true b")).ToHaveTextAsync(first.TrueLabel);
            await Assertions.Expect(card.Locator(".mistake-predicted b")).ToHaveTextAsync(first.PredictedLabel);
            await Assertions.Expect(card.Locator(".confidence-value")).ToHaveTextAsync(
                first.Confidence.ToString("0.0%", System.Globalization.CultureInfo.InvariantCulture));
            await Shot(page, "mistakes-gallery");

            // The most confident mistake: the model is sure, and the expert agrees with it.
            await search.FixLabelAsync(0);
            var labeling = new LabelingPage(page);
            var item = (await _api.ItemsAsync(datasetId)).Single(i => i.Id == first.ItemId);
            await Assertions.Expect(labeling.FixBanner.Locator(".fix-item-name")).ToHaveTextAsync(item.OriginalName);
            await Assertions.Expect(labeling.PreviewName).ToHaveTextAsync(item.OriginalName);
            await Assertions.Expect(labeling.SelectedTiles).ToHaveCountAsync(1);
            await Assertions.Expect(labeling.SelectedTiles.Locator("img")).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex(first.ItemId.ToString()));
            await Shot(page, "mistakes-fix-label-opened");
            await labeling.FixLabelAsync(first.PredictedLabel);

            await Assertions.Expect(labeling.FixBanner.Locator(".fix-item-label")).ToHaveTextAsync(first.PredictedLabel);
            await Assertions.Expect(labeling.PreviewLabel).ToHaveTextAsync(first.PredictedLabel);
            await Assertions.Expect(labeling.SelectedTiles.Locator(".tile-label")).ToHaveTextAsync(first.PredictedLabel);
            var saved = await _api.WaitForLabelsAsync(datasetId, items => items.Single(i => i.Id == first.ItemId).Label == first.PredictedLabel);
            Assert.Equal(first.PredictedLabel, saved.Single(i => i.Id == first.ItemId).Label);
            await Assertions.Expect(page.Locator(".save-state .saved")).ToBeVisibleAsync();
            await Shot(page, "mistakes-fix-label-saved");

            // Back on the search, the mistake still says what the search was tested with, and what the label is now.
            await labeling.BackToSearchAsync();
            await Assertions.Expect(search.MistakeCards.First.Locator(".mistake-now b")).ToHaveTextAsync(first.PredictedLabel);
            await Assertions.Expect(search.MistakeCards.First.Locator(".mistake-true b")).ToHaveTextAsync(first.TrueLabel);
            Assert.Equal(first.PredictedLabel, (await _api.MistakesAsync(searchId)).Items[0].CurrentLabel);
            await Shot(page, "mistakes-after-fix");
        });
    }

    [Fact]
    public async Task Expert_fixes_a_table_rows_label_from_the_mistakes_of_a_table_search()
    {
        // The colour decides the label, except for every third row whose label is a coin toss: some test rows are wrong.
        var random = new Random(8);
        string[] colours = ["red", "green", "blue"], labels = ["warm", "fresh", "cold"];
        var csv = new System.Text.StringBuilder("colour,size,label\n");
        for (var i = 0; i < 90; i++)
            csv.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"{colours[i % 3]},{random.NextDouble() * 10:F2},{labels[i % 2 == 0 ? i % 3 : random.Next(3)]}\n");
        var path = Path.Combine(_work, "noisy.csv");
        await File.WriteAllTextAsync(path, csv.ToString());
        var datasetId = await _api.UploadReadyAsync(path, "Noisy colours");
        var searchId = await _api.StartSearchAsync(datasetId, "random", maxTrials: 1, maxEpochsPerTrial: 2, maxMinutes: 4, seed: 2);
        Assert.Equal("completed", (await _api.WaitForSearchEndAsync(searchId, TimeSpan.FromMinutes(4))).Status);
        var mistakes = await _api.MistakesAsync(searchId);
        Assert.True(mistakes.Total > 0, "labels that are coin tosses must give the test split mistakes");

        await studio.JourneyAsync(output, "mistakes-table", async page =>
        {
            var search = new SearchPage(page);
            await search.GotoAsync(searchId);
            await Assertions.Expect(search.Mistakes).ToContainTextAsync($"{mistakes.Total} of {mistakes.TestCount} test rows misclassified");
            var first = mistakes.Items[0];
            await Assertions.Expect(search.MistakeCards.First.Locator(".mistake-snippet")).ToHaveTextAsync(
                new System.Text.RegularExpressions.Regex(@"^colour: (red|green|blue) · size: \d+\.\d\d$"));
            await Assertions.Expect(search.MistakeCards.First.Locator("img")).ToHaveCountAsync(0);
            await Shot(page, "mistakes-table-gallery");

            await search.FixLabelAsync(0, rows: true);
            var labeling = new LabelingPage(page);
            await Assertions.Expect(labeling.Rows).ToHaveCountAsync(1);
            await labeling.LabelRowAsync(0, first.PredictedLabel);
            var saved = await _api.WaitForLabelsAsync(datasetId, items => items.Single(i => i.Id == first.ItemId).Label == first.PredictedLabel);
            Assert.Equal(first.PredictedLabel, saved.Single(i => i.Id == first.ItemId).Label);
            await Shot(page, "mistakes-table-fix-label");

            // "Show all items" leaves the one-row view for the whole table.
            await labeling.FixBanner.Locator(".show-all-items").ClickAsync();
            await Assertions.Expect(labeling.FixBanner).ToHaveCountAsync(0);
            await Assertions.Expect(labeling.Rows).ToHaveCountAsync(25);
        });
    }

    private Task Shot(IPage page, string name) => studio.ShotAsync(page, name);

    public void Dispose()
    {
        _api.Dispose();
        Directory.Delete(_work, recursive: true);
    }
}
