using AutoMLStudio.E2E.Pages;
using Microsoft.Playwright;

namespace AutoMLStudio.E2E;

/// <summary>A team lead opens a finished search with a size limit and explores its trials: by size, by settings, by what mattered.</summary>
[Collection(StudioCollection.Name)]
public sealed class ExploreSearchTests(StudioFixture studio) : IDisposable
{
    private readonly StudioApi _api = new(studio.Server);
    private readonly string _work = Directory.CreateTempSubdirectory("amls-e2e-explore").FullName;

    [Fact]
    public async Task Finished_search_with_a_parameter_limit_shows_the_limit_on_the_scatter_every_trial_by_its_settings_and_what_mattered()
    {
        var datasetId = await _api.UploadReadyAsync(TestZip.Create(_work, perClass: 10), "Explore colours");
        var searchId = await _api.StartSearchAsync(datasetId, "random", maxTrials: 6, maxEpochsPerTrial: 1, maxMinutes: 10, seed: 3,
            objective: new { metric = "accuracy", constraints = new { maxParams = 60_000 } });

        var page = await studio.SignedInAsync();
        await page.GotoAsync($"/searches/{searchId}");
        var search = new SearchPage(page);
        await search.WaitForCompletionAsync(TimeSpan.FromMinutes(5));
        var completed = (await _api.TrialsAsync(searchId)).Count(t => t.Status == "completed");

        await Assertions.Expect(search.ParetoPoints).ToHaveCountAsync(completed);
        await Assertions.Expect(search.ScatterLimitLabel).ToHaveTextAsync("limit 60K");
        await Assertions.Expect(search.ParetoPanel).ToContainTextAsync("parameters (log scale)");
        await Assertions.Expect(search.ParallelLines).ToHaveCountAsync(completed);
        Assert.True(await search.ParallelAxes.CountAsync() > 20, "one axis per parameter of the image space, and the metric");
        if (completed >= 5) await Assertions.Expect(search.ImportanceBars.First).ToBeVisibleAsync();
        else await Assertions.Expect(search.ImportancePanel).ToContainTextAsync("Needs at least 5 completed trials");

        // Scrolled in one step in the page: a live update that re-renders the panel between Playwright's steps detaches it.
        await search.ParetoPanel.EvaluateAsync("panel => panel.scrollIntoView({ block: 'center' })");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(studio.ScreenshotDir, "50-explore-search.png"), FullPage = true });
        await search.ParetoPanel.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(studio.ScreenshotDir, "51-scatter-limit.png") });
        await search.ImportancePanel.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(studio.ScreenshotDir, "52-importance.png") });
        await search.ParallelPanel.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(studio.ScreenshotDir, "53-parallel-coordinates.png") });

        // The wide chart downloads whole, not just the part scrolled into view.
        var (file, png) = await search.DownloadChartAsync(search.ParallelPanel);
        Assert.EndsWith("parallel-coordinates.png", file);
        var viewBoxWidth = double.Parse((await page.Locator("svg.parallel-coordinates").GetAttributeAsync("viewBox"))!.Split(' ')[2],
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(2 * viewBoxWidth, png[16] << 24 | png[17] << 16 | png[18] << 8 | png[19]);
        await File.WriteAllBytesAsync(Path.Combine(studio.ScreenshotDir, "54-download-parallel-coordinates.png"), png);
    }

    public void Dispose()
    {
        _api.Dispose();
        Directory.Delete(_work, recursive: true);
    }
}
