using AutoMLStudio.E2E.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AutoMLStudio.E2E;

/// <summary>An expert trains on a second dataset starting from a model registered from the first, chosen in the train form.</summary>
[Collection(StudioCollection.Name)]
public sealed class TransferTests(StudioFixture studio, ITestOutputHelper output) : IDisposable
{
    private readonly StudioApi _api = new(studio.Server);
    private readonly string _work = Directory.CreateTempSubdirectory("amls-e2e-transfer").FullName;

    public void Dispose()
    {
        _api.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Expert_starts_a_search_from_a_registered_model_in_the_train_form_and_it_fine_tunes_that_network()
    {
        var sourceData = await _api.UploadReadyAsync(TestZip.Create(Directory.CreateDirectory(Path.Combine(_work, "source")).FullName, perClass: 10), "Transfer source colours");
        var source = await _api.StartSearchAsync(sourceData, "random", maxTrials: 1, maxEpochsPerTrial: 2, maxMinutes: 5, seed: 4);
        var finished = await _api.WaitForSearchEndAsync(source, TimeSpan.FromMinutes(3));
        await _api.RegisterAsync(finished.BestTrialId!.Value, "colour base");

        await studio.JourneyAsync(output, "transfer", async page =>
        {
            var datasets = new DatasetsPage(page);
            await datasets.GotoAsync();
            await datasets.ChooseAsync("Transfer target colours", TestZip.Create(Directory.CreateDirectory(Path.Combine(_work, "target")).FullName, perClass: 6));
            await datasets.UploadAsync();
            var dataset = new DatasetPage(page);
            await dataset.WaitUntilReadyAsync();

            await dataset.OpenTrainFormAsync();
            await dataset.SetBudgetAsync(maxTrials: 2, maxMinutes: 4, maxEpochs: 1);
            await dataset.ChooseStartingModelAsync("colour base v1");
            await Assertions.Expect(page.Locator(".train-form")).ToContainTextAsync("Keeps that model's network and what it learned");
            await studio.ShotAsync(page, "28-train-form-start-from-model");
            var searchId = await dataset.StartTrainingAsync();

            var search = new SearchPage(page);
            await Assertions.Expect(page.Locator(".starts-from-banner")).ToContainTextAsync("Starts from colour base v1");
            await search.WaitForCompletionAsync(TimeSpan.FromMinutes(4));
            await Assertions.Expect(search.TrialRows).ToHaveCountAsync(2);
            await studio.ShotAsync(page, "29-search-started-from-model");

            var trials = await _api.TrialsAsync(searchId);
            Assert.All(trials, t => Assert.Equal("completed", t.Status));
        });
    }
}
