using Microsoft.Playwright;

namespace AutoMLStudio.E2E.Pages;

public sealed class AdminPage(IPage page)
{
    public ILocator Devices => page.Locator(".devices-table tbody tr");
    public ILocator KeyRows => page.Locator(".api-keys-table tbody tr");

    public async Task GotoAsync()
    {
        await page.GotoAsync("/admin");
        await page.Locator(".devices-table").WaitForAsync();
        await Interactive.WaitAsync(page);
    }

    /// <summary>Creates a key and returns the secret the one-time dialog shows, then closes the dialog.</summary>
    public async Task<string> CreateKeyAsync(string name)
    {
        await page.FillAsync("#api-key-name", name);
        await page.ClickAsync(".create-api-key");
        var secret = page.Locator(".api-key-secret input");
        await secret.WaitForAsync();
        var value = await secret.InputValueAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, "20-api-key-created.png") });
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "I have copied it" }).ClickAsync();
        await secret.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        return value;
    }

    public ILocator Row(string name) => KeyRows.Filter(new LocatorFilterOptions { HasText = name });

    public Task RevokeAsync(string name) => Row(name).GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Revoke" }).ClickAsync();

    public string ScreenshotDir { get; init; } = Path.GetTempPath();
}
