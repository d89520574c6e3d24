using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AutoMLStudio.E2E.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AutoMLStudio.E2E;

/// <summary>
/// A table whose class is a sum of tolerance bands over eight columns: boosted trees learn it, the other learners much less.
/// The expert uploads it, trains with the form's defaults (a short budget), sees a LightGBM trial win among the
/// learners the search tried, registers and deploys it from the pages, and predicts a row on Try it.
/// </summary>
[Collection(StudioCollection.Name)]
public sealed class TreeLearnerJourneyTests(StudioFixture studio, ITestOutputHelper output) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("amls-e2e-trees").FullName;

    [Fact]
    public async Task A_csv_trained_with_the_default_form_is_won_by_lightgbm_registered_deployed_and_predicts_a_row() =>
        await studio.JourneyAsync(output, "tree-learners", async page =>
        {
            var csv = Path.Combine(_work, "parts.csv");
            await File.WriteAllTextAsync(csv, Readings(400));
            var datasets = new DatasetsPage(page);
            await datasets.GotoAsync();
            await datasets.ChooseAsync("Parts", csv);
            await datasets.UploadAsync();
            var dataset = new DatasetPage(page);
            await dataset.WaitUntilReadyAsync();
            // Left empty, the label column is the last one: classes, not a number.
            await Assertions.Expect(page.Locator(".tabular-task")).ToContainTextAsync("classification on part");

            // The form as it opens, with a budget short enough for a test: the learners are the search's own choice.
            await dataset.OpenTrainFormAsync();
            await dataset.SetBudgetAsync(maxTrials: 5, maxMinutes: 3, maxEpochs: 4);
            await dataset.StartTrainingAsync();
            var search = new SearchPage(page);
            await search.WaitForCompletionAsync(TimeSpan.FromMinutes(3));

            // Trees first (cost-frugal order): LightGBM, a linear model, a forest, the MLP, LightGBM's defaults.
            await Assertions.Expect(search.TrialArchitectures.First).ToContainTextAsync("LightGBM");
            await Assertions.Expect(page.Locator(".trial-table")).ToContainTextAsync("Linear model");
            // Of the trials each learner trained, a LightGBM one validates best; the best model is it, or an ensemble led by it.
            var trained = new List<(string Architecture, double Accuracy)>();
            foreach (var row in await search.TrialRows.AllAsync())
            {
                var architecture = await row.Locator(".trial-architecture").InnerTextAsync();
                if (!architecture.StartsWith("Ensemble", StringComparison.Ordinal))
                    trained.Add((architecture, double.Parse((await row.Locator(".trial-metric").InnerTextAsync()).TrimEnd('%'), CultureInfo.InvariantCulture)));
            }
            output.WriteLine(string.Join("\n", trained.Select(t => $"{t.Accuracy} % {t.Architecture}")));
            var top = trained.Max(t => t.Accuracy);
            Assert.Contains(trained, t => t.Accuracy == top && t.Architecture.StartsWith("LightGBM", StringComparison.Ordinal));
            Assert.All(trained.Where(t => !t.Architecture.StartsWith("LightGBM", StringComparison.Ordinal)), t => Assert.True(t.Accuracy < top, $"{t.Architecture} ties LightGBM"));
            await Assertions.Expect(page.Locator(".best-architecture")).ToContainTextAsync(new Regex("^(LightGBM|Ensemble of \\d+: .*\\(lightgbm: )"));
            var accuracy = double.Parse((await search.TestAccuracy.InnerTextAsync()).TrimEnd('%', ' '), CultureInfo.InvariantCulture);
            Assert.True(accuracy >= 75, $"the LightGBM model's test accuracy is {accuracy} % (about half the parts are sound)");
            await studio.ShotAsync(page, "60-tree-learner-search");

            await search.RegisterAsync("parts");
            await search.OpenModelsAsync();
            var models = new ModelsPage(page);
            await models.WaitAsync();
            await Assertions.Expect(models.Networks("parts").First).ToContainTextAsync("LightGBM");
            await models.DeployAsync("parts", "parts");
            await Interactive.WaitAsync(page);

            // Try it: one field per column; a part with every reading in the middle of its band is sound.
            await Assertions.Expect(page.Locator(".try-field")).ToHaveCountAsync(ReadingCount);
            for (var i = 1; i <= ReadingCount; i++)
                await page.Locator($"input[data-field=s{i}], [data-field=s{i}] input").FillAsync("0.5");
            await page.ClickAsync(".predict-row");
            await Assertions.Expect(page.Locator(".top-class .top-class-name").First).ToHaveTextAsync("sound");
            await studio.ShotAsync(page, "61-tree-learner-try-it");
        });

    // Eight readings; a part is sound when more than half of them fall inside their tolerance band (0.25 to 0.75): a sum
    // of bands, which boosted trees add up one reading at a time, a linear model cannot draw (a band is not a slope) and a
    // forest's trees of 20 leaves learn slowly. Rows with exactly half in band are left out, so the classes are separable.
    private const int ReadingCount = 8;

    private static string Readings(int rows)
    {
        var rng = new Random(11);
        var csv = new StringBuilder(string.Join(",", Enumerable.Range(1, ReadingCount).Select(i => $"s{i}")) + ",part\n");
        for (var written = 0; written < rows;)
        {
            var x = Enumerable.Range(0, ReadingCount).Select(_ => rng.NextDouble()).ToArray();
            var inBand = x.Count(v => v is > 0.25 and < 0.75);
            if (inBand == ReadingCount / 2) continue;
            csv.Append(string.Join(",", x.Select(v => v.ToString("F3", CultureInfo.InvariantCulture))));
            csv.Append(inBand > ReadingCount / 2 ? ",sound\n" : ",faulty\n");
            written++;
        }
        return csv.ToString();
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
