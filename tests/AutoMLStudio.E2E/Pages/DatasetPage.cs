using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace AutoMLStudio.E2E.Pages;

public sealed partial class DatasetPage(IPage page)
{
    public ILocator Status => page.Locator(".status-chip").First;
    public ILocator ImportProgress => page.Locator(".import-status");
    public ILocator ClassRows => page.Locator(".class-counts-table tbody tr");
    public ILocator SkippedFiles => page.Locator(".import-issue");
    public ILocator Thumbnails => page.Locator(".thumbnail img");
    public ILocator ThumbnailLabels => page.Locator(".thumbnail-label");

    public async Task WaitUntilReadyAsync()
    {
        // Right after an upload the URL changes before the list's rows (each with a status chip) leave the page.
        await page.Locator(".dataset-summary").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await page.Locator(".status-chip.status-ready").WaitForAsync(new LocatorWaitForOptions { Timeout = 90_000 });
    }

    /// <summary>True once every thumbnail on the page has decoded (not a broken image).</summary>
    public Task<bool> ThumbnailsLoadedAsync() =>
        page.EvaluateAsync<bool>("() => [...document.querySelectorAll('.thumbnail img')].every(i => i.complete && i.naturalWidth > 0)");

    public async Task OpenTrainFormAsync()
    {
        await page.ClickAsync(".train-button");
        await page.Locator(".train-form").WaitForAsync();
    }

    public async Task SetBudgetAsync(int maxTrials, double maxMinutes, int maxEpochs)
    {
        await FillNumberAsync("#max-trials", maxTrials.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await FillNumberAsync("#max-minutes", maxMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await FillNumberAsync("#max-epochs", maxEpochs.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public ILocator CostMatrix => page.Locator("table.cost-matrix");

    /// <summary>Picks what the search optimises by the label the user sees ("Cost of mistakes", ...).</summary>
    public Task ChooseMetricAsync(string label) => ChooseAsync(".train-metric", label);

    /// <summary>Picks what the search also favours ("Smaller models", "Faster predictions"), turning on multi-objective mode.</summary>
    public Task ChooseTradeOffAsync(string label) => ChooseAsync(".train-trade-off", label);

    /// <summary>Picks the registered model a search starts from ("name vN").</summary>
    public Task ChooseStartingModelAsync(string label) => ChooseAsync(".train-start-from", label);

    private async Task ChooseAsync(string select, string label)
    {
        await page.Locator(select).ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = label }).ClickAsync();
        await page.Locator(".mud-popover-open").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
    }

    /// <summary>Types what it costs when an item of class row <paramref name="truth"/> is predicted as column <paramref name="predicted"/>.</summary>
    public Task SetCostAsync(int truth, int predicted, double cost) =>
        FillNumberAsync($"#cost-{truth}-{predicted}", cost.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public Task SetMaxParamsAsync(long maxParams) =>
        FillNumberAsync("#max-params", maxParams.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public Task SetMaxLatencyAsync(double milliseconds) =>
        FillNumberAsync("#max-latency", milliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async Task<Guid> StartTrainingAsync()
    {
        await page.ClickAsync(".start-training");
        await page.WaitForURLAsync(SearchUrl(), new PageWaitForURLOptions { Timeout = 30_000 });
        return Guid.Parse(SearchUrl().Match(page.Url).Groups[1].Value);
    }

    private async Task FillNumberAsync(string selector, string value)
    {
        await page.FillAsync(selector, value);
        // MudBlazor numeric fields commit on change, which a blur raises.
        await page.Locator(selector).PressAsync("Tab");
    }

    [GeneratedRegex(@"/searches/([0-9a-f-]{36})")]
    private static partial Regex SearchUrl();
}
