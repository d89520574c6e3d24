using AutoMLStudio.E2E.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AutoMLStudio.E2E;

/// <summary>A team lead ticks two finished trials in the trial table and compares them side by side.</summary>
[Collection(StudioCollection.Name)]
public sealed class CompareTrialsTests(StudioFixture studio, ITestOutputHelper output) : IDisposable
{
    private readonly StudioApi _api = new(studio.Server);
    private readonly string _work = Directory.CreateTempSubdirectory("amls-e2e-compare").FullName;

    [Fact]
    public async Task Team_lead_ticks_two_trials_and_sees_their_differing_settings_curves_and_confusion_matrices_side_by_side()
    {
        var datasetId = await _api.UploadReadyAsync(TestZip.Create(_work, perClass: 12), "Compared colours");
        var searchId = await _api.StartSearchAsync(datasetId, "random", maxTrials: 3, maxEpochsPerTrial: 2, maxMinutes: 5, seed: 3);
        await studio.JourneyAsync(output, "compare", async page =>
        {
            await page.GotoAsync($"/searches/{searchId}");
            var search = new SearchPage(page);
            await search.WaitForCompletionAsync(TimeSpan.FromMinutes(4));
            await Assertions.Expect(search.TrialDurations.First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+(\.\d)? s$"));
            await Assertions.Expect(search.TrialLatencies.First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@" ms$"));
            await Assertions.Expect(search.CompareButton).ToBeDisabledAsync();

            await search.TickTrialAsync(1);
            await search.TickTrialAsync(3);
            await Assertions.Expect(search.CompareButton).ToHaveTextAsync("Compare (2)");
            // Ticking scrolled the page; a full-page shot taken scrolled draws the fixed app bar across the middle.
            await page.EvaluateAsync("() => window.scrollTo(0, 0)");
            await Shot(page, "45-compare-trial-table");
            await search.CompareAsync();

            var compare = new TrialComparisonPage(page);
            Assert.EndsWith($"/searches/{searchId}/compare?trials=1,3", page.Url);
            await Assertions.Expect(compare.TrialColumns).ToHaveTextAsync(["Trial 1", "Trial 3"]);
            var differing = await compare.DifferingRows.CountAsync();
            output.WriteLine($"{differing} of {await compare.SettingRows.CountAsync()} settings differ");
            Assert.InRange(differing, 1, await compare.SettingRows.CountAsync());
            await Assertions.Expect(compare.DifferingMarkers).ToHaveCountAsync(differing);
            await Assertions.Expect(compare.CurveSeries).ToHaveCountAsync(2);
            Assert.Equal(["1", "3"], await compare.CurveSeries.EvaluateAllAsync<string[]>("gs => gs.map(g => g.dataset.trial)"));
            await Assertions.Expect(compare.ConfusionMatrices).ToHaveCountAsync(2);
            await Assertions.Expect(compare.ClassScoreRows).ToHaveCountAsync(2 * TestZip.Classes.Length);
            Assert.Equal(2, (await compare.ValuesAsync("Learning rate")).Count);
            await Shot(page, "46-compare-trials");

            await compare.ShowOnlyDifferencesAsync();
            await Assertions.Expect(compare.SettingRows).ToHaveCountAsync(differing);
            await Shot(page, "47-compare-only-differences");

            await compare.GotoAsync(searchId, "1,9");
            await Assertions.Expect(compare.Problem).ToContainTextAsync("This search has no trial 9");
            await Shot(page, "48-compare-unknown-trial");
            await compare.GotoAsync(searchId, "2");
            await Assertions.Expect(compare.Problem).ToContainTextAsync("Choose two or more trials");
            await compare.GotoAsync(Guid.NewGuid(), "1,2");
            await Assertions.Expect(compare.Problem).ToContainTextAsync("There is no search");
        });
    }

    private Task Shot(IPage page, string name) => studio.ShotAsync(page, name);

    public void Dispose()
    {
        _api.Dispose();
        Directory.Delete(_work, recursive: true);
    }
}
