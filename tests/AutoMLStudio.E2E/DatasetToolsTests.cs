using System.IO.Compression;
using AutoMLStudio.E2E.Pages;
using Microsoft.Playwright;

namespace AutoMLStudio.E2E;

/// <summary>Journeys through the dataset page's quality report, versions and columns, multi-file upload and the Suspect filter.</summary>
[Collection(StudioCollection.Name)]
public sealed class DatasetToolsTests(StudioFixture studio) : IDisposable
{
    private readonly StudioApi _api = new(studio.Server);
    private readonly string _work = Directory.CreateTempSubdirectory("amls-e2e-dataset-tools").FullName;

    [Fact]
    public async Task Duplicate_with_another_label_is_reported_with_what_to_do_and_a_version_exports_its_split()
    {
        var page = await studio.SignedInAsync();
        var datasets = new DatasetsPage(page);
        await datasets.GotoAsync();
        await datasets.ChooseAsync("Conflicting copy", TestZip.WithConflictingCopy(_work));
        await datasets.UploadAsync();
        var dataset = new DatasetPage(page);
        var tools = new DatasetTools(page);
        await dataset.WaitUntilReadyAsync();
        await tools.WaitForReportAsync();

        var conflict = tools.Warning("carry different labels");
        await Assertions.Expect(conflict).ToContainTextAsync("decide the correct label and give it to every copy");
        await Assertions.Expect(tools.Warning("Remove the extra copies")).ToContainTextAsync("group(s) of identical items");
        await Assertions.Expect(tools.ConflictingGroups).ToHaveCountAsync(1);
        await Assertions.Expect(tools.ConflictingGroups.Locator(".member-name")).ToHaveTextAsync(["blue/copy-of-red.png", "red/red-00.png"]);
        await Shot(tools.QualityReport, "dataset-quality-report");

        await tools.CreateVersionAsync(seed: 7);
        var row = tools.VersionRows.First;
        await Assertions.Expect(row.Locator(".version-number")).ToHaveTextAsync("v1");
        await Assertions.Expect(row.Locator(".version-items")).ToHaveTextAsync("11");
        await Assertions.Expect(row.Locator(".split-label")).ToHaveTextAsync(["blue", "red"]);
        var splits = await row.Locator(".split-numbers").AllInnerTextsAsync();
        Assert.Equal([6, 5], splits.Select(s => s.Split(" / ").Sum(int.Parse)));
        await Shot(tools.VersionsPanel, "dataset-versions");

        var export = await tools.ExportAsync(1, _work);
        using var zip = ZipFile.OpenRead(export);
        var labels = zip.GetEntry("labels.csv");
        Assert.NotNull(labels);
        using var reader = new StreamReader(labels.Open());
        Assert.Equal(12, (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // header and 11 items
    }

    [Fact]
    public async Task Table_shows_inferred_column_types_and_a_new_label_column_changes_the_classes()
    {
        var csv = Path.Combine(_work, "plants.csv");
        var rows = Enumerable.Range(0, 12).Select(i => $"{10 + i},{(i % 3 == 0 ? "" : (2.5 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))},{(i % 2 == 0 ? "green" : "purple")},{(i < 6 ? "basil" : "mint")}");
        await File.WriteAllLinesAsync(csv, ["height,width,colour,species", .. rows]);
        var page = await studio.SignedInAsync();
        var datasets = new DatasetsPage(page);
        await datasets.GotoAsync();
        await datasets.ChooseAsync("Plants", csv);
        await Assertions.Expect(datasets.LabelColumnField).ToBeVisibleAsync();
        await Shot(page.Locator(".upload-panel"), "datasets-upload-csv-columns");
        await datasets.UploadAsync();
        var tools = new DatasetTools(page);
        await new DatasetPage(page).WaitUntilReadyAsync();

        await Assertions.Expect(tools.Column("height").Locator(".column-inferred")).ToHaveTextAsync("numeric");
        await Assertions.Expect(tools.Column("width").Locator(".column-missing")).ToHaveTextAsync("4");
        await Assertions.Expect(tools.Column("colour").Locator(".column-inferred")).ToHaveTextAsync("categorical");
        await Assertions.Expect(tools.Column("species").Locator(".column-role")).ToHaveTextAsync("label");
        await Assertions.Expect(tools.ClassNames).ToHaveTextAsync(["basil", "mint"]);
        await Assertions.Expect(page.Locator(".label-rows-table tbody tr")).ToHaveCountAsync(12);
        await Assertions.Expect(page.Locator(".thumbnail-grid")).ToHaveCountAsync(0);

        await tools.ChooseLabelColumnAsync("colour");

        await Assertions.Expect(tools.ClassNames).ToHaveTextAsync(["green", "purple"]);
        await Assertions.Expect(tools.Column("colour").Locator(".column-role")).ToHaveTextAsync("label");
        await Assertions.Expect(page.Locator(".tabular-task .label-column")).ToHaveTextAsync("colour");
        await Shot(tools.ColumnsPanel, "dataset-columns");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(studio.ScreenshotDir, "dataset-table-page.png"), FullPage = true });
    }

    [Fact]
    public async Task Suspect_filter_on_the_labeling_page_shows_the_flagged_duplicates()
    {
        var datasetId = await _api.UploadReadyAsync(TestZip.WithConflictingCopy(_work, perClass: 3), "Suspect copies");
        await _api.WaitForQualityAsync(datasetId);
        var page = await studio.SignedInAsync();
        var labeling = new LabelingPage(page);
        await labeling.GotoAsync(datasetId);

        await Assertions.Expect(labeling.SuspectChip).ToHaveTextAsync("Suspect · 2");
        await labeling.ShowSuspectAsync();

        await Assertions.Expect(labeling.Tiles).ToHaveCountAsync(2);
        await labeling.ClickTileAsync(0);
        await Assertions.Expect(labeling.PreviewLabel).ToHaveTextAsync("blue");
        await labeling.ClickTileAsync(1);
        await Assertions.Expect(labeling.PreviewLabel).ToHaveTextAsync("red");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(studio.ScreenshotDir, "labeling-suspect-filter.png") });
    }

    [Fact]
    public async Task Several_loose_images_chosen_at_once_land_in_the_unlabeled_pool()
    {
        var page = await studio.SignedInAsync();
        var datasets = new DatasetsPage(page);
        await datasets.GotoAsync();
        await datasets.ImportServerFolderAsync("/tmp");
        await Assertions.Expect(datasets.FolderError).ToContainTextAsync("Server folder import is off");

        await datasets.ChooseFilesAsync("Loose pictures", TestZip.LooseImages(_work, 5));
        await Assertions.Expect(datasets.ChosenFile).ToContainTextAsync("5 files");
        await Assertions.Expect(datasets.LabelColumnField).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(studio.ScreenshotDir, "datasets-multi-upload.png"), FullPage = true });
        var datasetId = await datasets.UploadAsync();
        await new DatasetPage(page).WaitUntilReadyAsync();
        await Assertions.Expect(page.Locator(".dataset-summary")).ToContainTextAsync("5 images, 0 labeled");

        var labeling = new LabelingPage(page);
        await labeling.GotoAsync(datasetId);
        await Assertions.Expect(page.Locator(".filter-unlabeled")).ToHaveTextAsync("Unlabeled · 5");
        Assert.All(await _api.ItemsAsync(datasetId), item => Assert.Null(item.Label));
    }

    private Task Shot(ILocator part, string name) =>
        part.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(studio.ScreenshotDir, $"{name}.png") });

    public void Dispose()
    {
        _api.Dispose();
        Directory.Delete(_work, recursive: true);
    }
}
