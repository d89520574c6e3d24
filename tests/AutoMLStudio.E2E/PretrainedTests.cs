using AutoMLStudio.E2E.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AutoMLStudio.E2E;

/// <summary>An admin imports pretrained MobileNetV2 weights; an expert's next image search fine-tunes them beside its own networks; the admin removes them.</summary>
[Collection(StudioCollection.Name)]
public sealed class PretrainedTests(StudioFixture studio, ITestOutputHelper output) : IDisposable
{
    private readonly StudioApi _api = new(studio.Server);
    private readonly string _work = Directory.CreateTempSubdirectory("amls-e2e-pretrained").FullName;

    public void Dispose()
    {
        _api.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Admin_imports_a_backbone_an_experts_search_fine_tunes_it_as_its_third_trial_and_the_admin_removes_it()
    {
        try
        {
            await studio.JourneyAsync(output, "pretrained", async page =>
            {
                var weights = Path.Combine(_work, "mobilenet_v2-imagenet.dat");
                MobileNetV2Weights.Write(weights);
                var admin = new AdminPage(page) { ScreenshotDir = studio.ScreenshotDir };
                await admin.GotoAsync();
                await admin.ImportBackboneAsync("mobilenet_v2", weights);
                await Assertions.Expect(admin.BackboneRow("mobilenet_v2")).ToContainTextAsync("3,504,872");
                await Assertions.Expect(admin.BackboneRow("mobilenet_v2")).ToContainTextAsync("1000 classes (replaced)");
                await admin.BackboneRow("mobilenet_v2").ScrollIntoViewIfNeededAsync();
                await studio.ShotAsync(page, "34-admin-backbone-imported");

                var datasets = new DatasetsPage(page);
                await datasets.GotoAsync();
                await datasets.ChooseAsync("Pretrained colours", TestZip.Create(Directory.CreateDirectory(Path.Combine(_work, "colours")).FullName, perClass: 8));
                await datasets.UploadAsync();
                var dataset = new DatasetPage(page);
                await dataset.WaitUntilReadyAsync();
                await dataset.OpenTrainFormAsync();
                await dataset.SetBudgetAsync(maxTrials: 3, maxMinutes: 5, maxEpochs: 1);
                var usePretrained = page.Locator(".train-use-pretrained");
                await Assertions.Expect(usePretrained).ToContainTextAsync("Also try fine-tuning the pretrained MobileNetV2");
                await Assertions.Expect(usePretrained.Locator("input")).ToBeCheckedAsync();
                await studio.ShotAsync(page, "35-train-form-pretrained");
                var searchId = await dataset.StartTrainingAsync();

                var search = new SearchPage(page);
                await search.WaitForCompletionAsync(TimeSpan.FromMinutes(4));
                await Assertions.Expect(search.TrialRows).ToHaveCountAsync(3);
                await Assertions.Expect(search.TrialArchitectures.Filter(new LocatorFilterOptions { HasText = "MobileNetV2 pretrained" })).ToHaveCountAsync(1);
                await Assertions.Expect(search.TrialTrainings.Filter(new LocatorFilterOptions { HasTextRegex = new System.Text.RegularExpressions.Regex("learns?\\b") })).ToHaveCountAsync(1);
                await studio.ShotAsync(page, "36-search-with-pretrained-trial");
                var trials = await _api.TrialsAsync(searchId);
                Assert.Equal("completed", trials.Single(t => t.Number == 3).Status);

                await admin.GotoAsync();
                await admin.BackboneRow("mobilenet_v2").GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Remove" }).ClickAsync();
                await Assertions.Expect(page.Locator(".backbones-table")).ToContainTextAsync("None imported yet.");
                await admin.WaitForAuditAsync("backbone.removed");
            });
        }
        finally
        {
            await _api.RemoveBackboneAsync("mobilenet_v2");
        }
    }
}
