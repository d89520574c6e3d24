using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AutoMLStudio.E2E.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AutoMLStudio.E2E;

/// <summary>
/// A table whose class is a sum of steps over eight columns: boosted trees learn it exactly, the other learners do not.
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
            Assert.StartsWith("LightGBM", trained.MaxBy(t => t.Accuracy).Architecture);
            await Assertions.Expect(page.Locator(".best-architecture")).ToContainTextAsync(new Regex("^(LightGBM|Ensemble of \\d+: 0\\.\\d+ × trial \\d+ \\(lightgbm)"));
            var accuracy = double.Parse((await search.TestAccuracy.InnerTextAsync()).TrimEnd('%', ' '), CultureInfo.InvariantCulture);
            Assert.True(accuracy >= 95, $"the LightGBM model's test accuracy is {accuracy} %");
            await studio.ShotAsync(page, "60-tree-learner-search");

            await search.RegisterAsync("parts");
            await search.OpenModelsAsync();
            var models = new ModelsPage(page);
            await models.WaitAsync();
            await Assertions.Expect(models.Networks("parts").First).ToContainTextAsync("LightGBM");
            await models.DeployAsync("parts", "parts");
            await Interactive.WaitAsync(page);

            // Try it: one field per column; a part with every reading high is faulty.
            await Assertions.Expect(page.Locator(".try-field")).ToHaveCountAsync(Thresholds.Length);
            for (var i = 1; i <= Thresholds.Length; i++)
                await page.Locator($"input[data-field=s{i}], [data-field=s{i}] input").FillAsync("0.9");
            await page.ClickAsync(".predict-row");
            await Assertions.Expect(page.Locator(".top-class .top-class-name").First).ToHaveTextAsync("faulty");
            await studio.ShotAsync(page, "61-tree-learner-try-it");
        });

    // Eight readings, each past its own threshold or not; a part fails when five or more are: a sum of steps, which boosted
    // trees add up exactly, a linear model only approximates and a forest's deep trees learn slowly. Rows one reading
    // from the border are left out, so the classes are separable.
    internal static readonly double[] Thresholds = [0.3, 0.35, 0.4, 0.45, 0.55, 0.6, 0.65, 0.7];

    private static string Readings(int rows)
    {
        var rng = new Random(11);
        var csv = new StringBuilder(string.Join(",", Thresholds.Select((_, i) => $"s{i + 1}")) + ",part\n");
        for (var written = 0; written < rows;)
        {
            var x = Thresholds.Select(_ => rng.NextDouble()).ToArray();
            var past = x.Zip(Thresholds).Count(p => p.First > p.Second);
            if (past is 4) continue;
            csv.Append(string.Join(",", x.Select(v => v.ToString("F3", CultureInfo.InvariantCulture))));
            csv.Append(past >= 5 ? ",faulty\n" : ",sound\n");
            written++;
        }
        return csv.ToString();
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
