using Microsoft.Playwright;

namespace AutoMLStudio.E2E.Pages;

public sealed class LabelingPage(IPage page)
{
    public ILocator Tiles => page.Locator(".label-tile");
    public ILocator BulkBar => page.Locator(".bulk-bar");
    public ILocator ConflictSnackbar => page.Locator(".mud-snackbar.label-conflict");
    public ILocator PreviewLabel => page.Locator(".preview-label");
    public ILocator PreviewName => page.Locator(".preview-name");
    public ILocator FixBanner => page.Locator(".fix-label-banner");
    public ILocator SelectedTiles => page.Locator(".label-tile.selected");

    /// <summary>Gives the item the page was opened on (from a search's mistakes) its right label, with the banner's select.</summary>
    public async Task FixLabelAsync(string label)
    {
        await FixBanner.Locator(".fix-label-select").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").GetByText(label, new LocatorGetByTextOptions { Exact = true }).ClickAsync();
    }

    /// <summary>The rows of a table or text dataset's labeling table.</summary>
    public ILocator Rows => page.Locator(".label-rows-table tbody tr");

    public async Task LabelRowAsync(int index, string label)
    {
        await Rows.Nth(index).Locator(".row-label").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").GetByText(label, new LocatorGetByTextOptions { Exact = true }).ClickAsync();
    }

    public Task BackToSearchAsync() => FixBanner.Locator(".back-to-search").ClickAsync();

    public ILocator SuspectChip => page.Locator(".filter-suspect");

    public async Task ShowSuspectAsync()
    {
        await SuspectChip.ClickAsync();
        await page.Locator(".filter-suspect.mud-chip-color-primary").WaitForAsync();
    }

    public ILocator Tile(int index) => page.Locator($".label-tile[data-index=\"{index}\"]");

    public ILocator TileLabel(int index) => Tile(index).Locator(".tile-label");

    /// <summary>Opens the page and waits until its circuit hears the keyboard and the first tiles show their images.</summary>
    public async Task GotoAsync(Guid datasetId)
    {
        await page.GotoAsync($"/datasets/{datasetId}/label");
        await Interactive.WaitAsync(page);
        await page.Locator("body[data-labeling-keys=on]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await page.Locator(".label-tile img").First.WaitForAsync();
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.label-tile img')].every(i => i.complete)");
    }

    /// <summary>Presses keys one by one, as a labeler types them.</summary>
    public async Task PressAsync(params string[] keys)
    {
        foreach (var key in keys) await page.Keyboard.PressAsync(key);
    }

    public Task ClickTileAsync(int index, params KeyboardModifier[] modifiers) =>
        Tile(index).ClickAsync(new LocatorClickOptions { Modifiers = modifiers });

    public async Task BulkAssignAsync(string label)
    {
        await BulkBar.Locator(".bulk-assign").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").GetByText(label, new LocatorGetByTextOptions { Exact = true }).ClickAsync();
    }

    public async Task ZoomInAsync(int steps)
    {
        for (var i = 0; i < steps; i++) await page.Locator(".zoom-in").ClickAsync();
    }
}
