using Microsoft.Playwright;

namespace AutoMLStudio.E2E.Pages;

public sealed class ModelsPage(IPage page)
{
    public ILocator Versions => page.Locator("tr.model-version");

    /// <summary>The network description of each version of <paramref name="modelName"/>.</summary>
    public ILocator Networks(string modelName) => Model(modelName).Locator(".model-network");

    public Task WaitAsync() => page.Locator(".model").First.WaitForAsync();

    public ILocator Model(string name) => page.Locator(".model", new PageLocatorOptions { Has = page.Locator(".model-name", new PageLocatorOptions { HasText = name }) });

    /// <summary>Clicks the first download button of the model and saves the file.</summary>
    public async Task<string> DownloadAsync(string modelName, string folder)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => Model(modelName).Locator(".download-model").First.ClickAsync());
        var path = Path.Combine(folder, download.SuggestedFilename);
        await download.SaveAsAsync(path);
        return path;
    }
}
