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
        await Interactive.ChooseFilesAsync(page.Locator(".upload-panel input[type=file]"), zipPath);
        await page.Locator(".chosen-file").WaitForAsync();
    }

    /// <summary>Chooses several files in one go, as a user selecting many images in the picker.</summary>
    public async Task ChooseFilesAsync(string name, IEnumerable<string> paths)
    {
        await page.FillAsync("#dataset-name", name);
        await Interactive.ChooseFilesAsync(page.Locator(".upload-panel input[type=file]"), paths);
        await page.Locator(".chosen-file").WaitForAsync();
    }

    public ILocator ChosenFile => page.Locator(".chosen-file");
    public ILocator LabelColumnField => page.Locator("#label-column");
    public ILocator FolderError => page.Locator(".folder-error");

    public async Task ImportServerFolderAsync(string path)
    {
        await page.FillAsync("#server-folder-path", path);
        await page.ClickAsync(".import-folder-button");
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
