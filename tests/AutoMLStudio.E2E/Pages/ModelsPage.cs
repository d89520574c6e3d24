using Microsoft.Playwright;

namespace AutoMLStudio.E2E.Pages;

public sealed class ModelsPage(IPage page)
{
    public ILocator Versions => page.Locator("tr.model-version");

    /// <summary>The network description of each version of <paramref name="modelName"/>.</summary>
    public ILocator Networks(string modelName) => Model(modelName).Locator(".model-network");

    public Task WaitAsync() => page.Locator(".model").First.WaitForAsync();

    public ILocator Model(string name) => page.Locator(".model", new PageLocatorOptions { Has = page.Locator(".model-name", new PageLocatorOptions { HasText = name }) });

    /// <summary>Opens the first download menu of the model, picks <paramref name="format"/> and saves the file.</summary>
    public async Task<string> DownloadAsync(string modelName, string folder, string format = "torchsharp")
    {
        await OpenDownloadMenuAsync(modelName);
        var download = await page.RunAndWaitForDownloadAsync(() => DownloadItem(format).ClickAsync());
        var path = Path.Combine(folder, download.SuggestedFilename);
        await download.SaveAsAsync(path);
        return path;
    }

    public Task OpenDownloadMenuAsync(string modelName) => Model(modelName).Locator(".download-model").First.ClickAsync();

    /// <summary>An item of the open download menu: onnx, torchsharp or bundle.</summary>
    public ILocator DownloadItem(string format) => page.Locator($".mud-popover-open .download-{format}");

    public ILocator Stages(string modelName) => Model(modelName).Locator(".model-stage");

    /// <summary>Deploys the model's newest version under <paramref name="endpointName"/> and waits for the endpoint's page.</summary>
    public async Task DeployAsync(string modelName, string endpointName)
    {
        await Model(modelName).Locator(".deploy-model").First.ClickAsync();
        await page.Locator("#endpoint-name").WaitForAsync();
        await page.FillAsync("#endpoint-name", endpointName);
        await page.Locator("#endpoint-name").PressAsync("Tab");
        await page.ClickAsync(".deploy-confirm");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/endpoints/[0-9a-f-]{36}$"));
    }
}
