using Microsoft.Playwright;

namespace AutoMLStudio.E2E.Pages;

/// <summary>One endpoint's page and its tabs: Try it, Monitoring, API and Settings.</summary>
public sealed class EndpointPage(IPage page)
{
    public ILocator Name => page.Locator(".endpoint-name");
    public ILocator Results => page.Locator(".try-results .try-result");
    public ILocator TryError => page.Locator(".try-error");
    public ILocator Requests => page.Locator(".total-requests .total-value");
    public ILocator ErrorRate => page.Locator(".total-errors .total-value");
    public ILocator P50 => page.Locator(".total-p50 .total-value");
    public ILocator P95 => page.Locator(".total-p95 .total-value");
    public ILocator TrafficPoints => page.Locator(".traffic-chart .series-requests circle");
    public ILocator LatencyPoints => page.Locator(".latency-chart .series-p50 circle");
    public ILocator DriftSummary => page.Locator(".drift-summary");
    public ILocator LowConfidenceCards => page.Locator(".low-confidence-card");
    public ILocator PredictUrl => page.Locator(".predict-url input");
    public ILocator CurlSample => page.Locator(".sample-curl");
    public ILocator CSharpSample => page.Locator(".sample-csharp");
    public ILocator KeyRows => page.Locator(".endpoint-keys tbody tr");

    public async Task GotoAsync(Guid endpointId)
    {
        await page.GotoAsync($"/endpoints/{endpointId}");
        await Interactive.WaitAsync(page);
    }

    public async Task OpenTabAsync(string name)
    {
        var tab = page.Locator(".endpoint-tabs .mud-tab", new PageLocatorOptions { HasTextRegex = new System.Text.RegularExpressions.Regex($"^{name}$") });
        await tab.ClickAsync();
        await Assertions.Expect(tab).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-tab-active"));
        // The slider under the tabs glides over; a screenshot taken at once shows it under the previous tab.
        await page.Mouse.MoveAsync(0, 0);
        await page.WaitForTimeoutAsync(400);
    }

    public async Task ShowWindowAsync(int minutes)
    {
        await page.ClickAsync($".window-{minutes}");
        await page.Mouse.MoveAsync(0, 0);
        await page.WaitForTimeoutAsync(400); // the toggle's colours fade over
    }

    /// <summary>Chooses images on the Try it tab, once Blazor listens to the file input (files set before that are ignored).</summary>
    public async Task TryImagesAsync(params string[] paths)
    {
        await Interactive.ChooseFilesAsync(page.Locator(".try-images input[type=file]"), paths);
    }

    /// <summary>Creates a scoped key and returns the secret the one-time dialog shows, then closes the dialog.</summary>
    public async Task<string> CreateKeyAsync(string name, int? requestsPerSecond, Func<Task> whileShown)
    {
        await page.FillAsync("#endpoint-key-name", name);
        await page.Locator("#endpoint-key-name").PressAsync("Tab");
        if (requestsPerSecond is { } rps)
        {
            await page.FillAsync("#endpoint-key-rps", rps.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await page.Locator("#endpoint-key-rps").PressAsync("Tab");
        }
        await page.ClickAsync(".create-endpoint-key");
        var secret = page.Locator(".api-key-secret input");
        await secret.WaitForAsync();
        var value = await secret.InputValueAsync();
        await page.WaitForTimeoutAsync(300); // the dialog fades in
        await whileShown();
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "I have copied it" }).ClickAsync();
        await secret.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        return value;
    }

    public async Task UndeployAsync()
    {
        await page.ClickAsync(".undeploy");
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Undeploy", Exact = true }).ClickAsync();
    }
}
