using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace AutoMLStudio.E2E.Pages;

public sealed partial class DatasetsPage(IPage page)
{
    public ILocator UploadError => page.Locator(".upload-error");

    public async Task GotoAsync()
    {
        await page.GotoAsync("/datasets");
        await page.Locator(".upload-panel").WaitForAsync();
        await Interactive.WaitAsync(page);
    }

    public async Task ChooseAsync(string name, string zipPath)
    {
        await page.FillAsync("#dataset-name", name);
        await page.Locator(".upload-panel input[type=file]").SetInputFilesAsync(zipPath);
        await page.Locator(".chosen-file").WaitForAsync();
    }

    /// <summary>Presses Upload and returns the new dataset's id once the browser is on its page.</summary>
    public async Task<Guid> UploadAsync()
    {
        await page.ClickAsync(".upload-button");
        await page.WaitForURLAsync(DatasetUrl(), new PageWaitForURLOptions { Timeout = 60_000 });
        return Guid.Parse(DatasetUrl().Match(page.Url).Groups[1].Value);
    }

    [GeneratedRegex(@"/datasets/([0-9a-f-]{36})")]
    private static partial Regex DatasetUrl();
}
