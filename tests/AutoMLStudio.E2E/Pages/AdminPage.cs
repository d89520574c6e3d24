using Microsoft.Playwright;

namespace AutoMLStudio.E2E.Pages;

public sealed class AdminPage(IPage page)
{
    public ILocator Devices => page.Locator(".devices-table tbody tr");
    public ILocator KeyRows => page.Locator(".api-keys-table tbody tr");
    public ILocator AuditRows => page.Locator(".audit-table tbody tr");
    public ILocator RunningTrials => page.Locator(".devices-table tr.running-trial");
    public ILocator WaitingTrials => page.Locator(".queue-table tr.waiting-trial");

    public ILocator User(string email) => page.Locator($".users-table tr[data-user='{email}']");

    /// <summary>Waits until the audit log's newest row names <paramref name="action"/>.</summary>
    public Task WaitForAuditAsync(string action) =>
        AuditRows.First.Filter(new LocatorFilterOptions { HasText = action }).WaitForAsync();

    public ILocator Device(string id) => page.Locator($".devices-table tbody tr[data-device='{id}']");

    public Task<string> DeviceStateAsync(string id) => Device(id).Locator(".device-state").InnerTextAsync();

    /// <summary>Clicks Pause, Drain or Resume on the device's row and waits until its state chip says <paramref name="state"/>.</summary>
    public async Task ControlDeviceAsync(string id, string button, string state)
    {
        await Device(id).GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = button, Exact = true }).ClickAsync();
        await Device(id).Locator(".device-state", new LocatorLocatorOptions { HasTextString = state }).WaitForAsync();
    }

    public ILocator BackboneRow(string architecture) => page.Locator($".backbones-table tr[data-architecture='{architecture}']");

    /// <summary>Chooses the architecture and the file in the backbones panel, imports, and waits until the table lists it.</summary>
    public async Task ImportBackboneAsync(string architecture, string path)
    {
        var panel = page.Locator(".backbone-import");
        await panel.Locator(".backbone-architecture").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = architecture }).ClickAsync();
        await page.Locator(".mud-popover-open").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        await Interactive.ChooseFilesAsync(panel.Locator("input[type=file]"), path);
        await Assertions.Expect(panel.Locator(".backbone-chosen")).ToContainTextAsync(Path.GetFileName(path));
        await panel.Locator(".import-backbone").ClickAsync();
        await BackboneRow(architecture).WaitForAsync(new LocatorWaitForOptions { Timeout = 120_000 });
    }

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
