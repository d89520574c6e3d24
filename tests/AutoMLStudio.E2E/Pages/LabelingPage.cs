using Microsoft.Playwright;

namespace AutoMLStudio.E2E.Pages;

public sealed class LabelingPage(IPage page)
{
    public ILocator Tiles => page.Locator(".label-tile");
    public ILocator BulkBar => page.Locator(".bulk-bar");
    public ILocator ConflictSnackbar => page.Locator(".mud-snackbar.label-conflict");
    public ILocator PreviewLabel => page.Locator(".preview-label");

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
