using Microsoft.Playwright;

namespace AutoMLStudio.E2E.Pages;

/// <summary>The dataset page's quality report, versions panel and columns panel.</summary>
public sealed class DatasetTools(IPage page)
{
    public ILocator QualityReport => page.Locator(".quality-report");
    public ILocator Warnings => page.Locator(".quality-warning");
    public ILocator ConflictingGroups => page.Locator(".duplicate-group.conflicting");
    public ILocator VersionsPanel => page.Locator(".versions-panel");
    public ILocator VersionRows => page.Locator(".version-row");
    public ILocator ColumnsPanel => page.Locator(".columns-panel");
    public ILocator ClassNames => page.Locator(".class-counts-table .class-name");

    public ILocator Warning(string text) => Warnings.Filter(new LocatorFilterOptions { HasText = text });

    public ILocator Column(string name) => page.Locator($".column-row[data-column=\"{name}\"]");

    /// <summary>Waits until the full report (duplicates, histograms) has been computed and shown.</summary>
    public Task WaitForReportAsync() =>
        page.Locator(".quality-computed-at").Filter(new LocatorFilterOptions { HasText = "computed at" })
            .WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });

    public async Task CreateVersionAsync(int seed)
    {
        await page.FillAsync("#version-seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("#version-seed").PressAsync("Tab");
        await page.FillAsync("#version-note", "first cut");
        await page.ClickAsync(".create-version");
        await VersionRows.First.WaitForAsync();
    }

    /// <summary>Clicks the version's Export link and returns the downloaded file's path.</summary>
    public async Task<string> ExportAsync(int number, string folder)
    {
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.Locator($".version-row[data-version=\"{number}\"] .export-version").ClickAsync());
        var path = Path.Combine(folder, download.SuggestedFilename);
        await download.SaveAsAsync(path);
        return path;
    }

    public async Task ChooseLabelColumnAsync(string column)
    {
        await page.Locator(".label-column-select").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").GetByText(column, new LocatorGetByTextOptions { Exact = true }).ClickAsync();
        await page.ClickAsync(".save-schema");
    }
}
