using AutoMLStudio.E2E.Pages;
using Microsoft.Playwright;

namespace AutoMLStudio.E2E;

[Collection(StudioCollection.Name)]
public sealed class LabelingTests(StudioFixture studio) : IDisposable
{
    private readonly StudioApi _api = new(studio.Server);
    private readonly string _work = Directory.CreateTempSubdirectory("amls-e2e-labeling").FullName;

    [Fact]
    public async Task Labeler_labels_with_the_keyboard_only_and_U_undoes_the_last_change()
    {
        var datasetId = await _api.UploadReadyAsync(TestZip.Create(_work, perClass: 4), "Keyboard labeling");
        var items = await _api.ItemsAsync(datasetId);
        var labels = await _api.LabelsAsync(datasetId);
        await _api.AssignAsync(datasetId, items.Take(3).Select(i => i.Id), null);
        var page = await studio.SignedInAsync(StudioServer.AdminEmail, StudioServer.AdminPassword);
        var labeling = new LabelingPage(page);
        await labeling.GotoAsync(datasetId);
        await Shot(page, "labeling-grid");

        // Focus starts on the first item. 2 labels it and moves on; → skips one; 3 labels the third; U takes that back;
        // ↓ goes down a row of six; 1 labels that item.
        await labeling.PressAsync("2", "ArrowRight", "3");
        await labeling.TileLabel(2).Filter(new LocatorFilterOptions { HasText = labels[2] }).WaitForAsync();
        await labeling.PressAsync("u", "ArrowDown", "1");

        var saved = await _api.WaitForLabelsAsync(datasetId, now => now[0].Label == labels[1] && now[8].Label == labels[0] && now[2].Label is null);
        Assert.Equal(labels[1], saved[0].Label);
        Assert.Null(saved[1].Label);
        Assert.Null(saved[2].Label); // undone: back to unlabeled
        Assert.Equal(labels[0], saved[8].Label);
        Assert.Equal(labels[1], await labeling.TileLabel(0).InnerTextAsync());
        Assert.Equal("unlabeled", await labeling.TileLabel(2).InnerTextAsync());

        await labeling.ZoomInAsync(3);
        await Shot(page, "labeling-preview-zoomed");
        Assert.Equal("4×", await page.Locator(".zoom-level").InnerTextAsync());
        Assert.Equal(saved[9].Label, await labeling.PreviewLabel.InnerTextAsync()); // "1" moved the focus on to the next item
    }

    [Fact]
    public async Task Shift_click_selects_a_range_and_the_bulk_bar_labels_all_of_it()
    {
        var datasetId = await _api.UploadReadyAsync(TestZip.Create(_work, perClass: 4), "Bulk labeling");
        var page = await studio.SignedInAsync(StudioServer.AdminEmail, StudioServer.AdminPassword);
        var labeling = new LabelingPage(page);
        await labeling.GotoAsync(datasetId);

        await labeling.ClickTileAsync(0);
        await labeling.ClickTileAsync(4, KeyboardModifier.Shift);
        await labeling.ClickTileAsync(6, KeyboardModifier.Control);
        await Assertions.Expect(labeling.BulkBar.Locator(".bulk-count")).ToHaveTextAsync("6 selected");
        Assert.Equal(6, await page.Locator(".label-tile.selected").CountAsync());
        await Shot(page, "labeling-bulk-bar");
        await labeling.BulkAssignAsync("red");

        var saved = await _api.WaitForLabelsAsync(datasetId, now => now.Count(i => i.Label == "red") == 10);
        Assert.Equal(10, saved.Count(i => i.Label == "red")); // the 4 red ones and the 6 selected (4 blue, 2 green)
        Assert.All(new[] { 0, 1, 2, 3, 4, 6 }, i => Assert.Equal("red", saved[i].Label));
        Assert.Equal("green", saved[5].Label);
        await Assertions.Expect(page.Locator(".filter-label").Filter(new LocatorFilterOptions { HasText = "red" })).ToHaveTextAsync("red · 10");
    }

    [Fact]
    public async Task Two_labelers_see_each_others_changes_live_and_the_overwritten_one_is_told_who()
    {
        var datasetId = await _api.UploadReadyAsync(TestZip.Create(_work, perClass: 3), "Two labelers");
        var labels = await _api.LabelsAsync(datasetId);
        const string bobEmail = "bob@e2e.local", bobPassword = "Bob-Passw0rd!";
        await _api.CreateUserAsync(bobEmail, bobPassword, "Expert", "Bob");
        var alicePage = await studio.SignedInAsync(StudioServer.AdminEmail, StudioServer.AdminPassword);
        var bobPage = await studio.SignedInAsync(bobEmail, bobPassword);
        var alice = new LabelingPage(alicePage);
        var bob = new LabelingPage(bobPage);
        await alice.GotoAsync(datasetId);
        await bob.GotoAsync(datasetId);

        await alice.PressAsync("3"); // first item: blue -> red
        await Assertions.Expect(bob.TileLabel(0)).ToHaveTextAsync(labels[2]); // no reload: it came over the circuit

        await bob.PressAsync("2"); // Bob changes the same item: last change wins
        await Assertions.Expect(alice.TileLabel(0)).ToHaveTextAsync(labels[1]);
        await Assertions.Expect(alice.ConflictSnackbar).ToContainTextAsync($"Bob changed");
        await Assertions.Expect(alice.ConflictSnackbar).ToContainTextAsync($"from '{labels[2]}' to '{labels[1]}'");
        // The snackbar fades in; a picture taken mid-animation shows next to nothing.
        await Assertions.Expect(alice.ConflictSnackbar).ToHaveCSSAsync("opacity", new System.Text.RegularExpressions.Regex(@"^(0\.9\d*|1)$")); // MudBlazor shows it at 0.95
        await Shot(alicePage, "labeling-conflict-snackbar");
        Assert.Equal(labels[1], (await _api.ItemsAsync(datasetId))[0].Label);
    }

    private Task Shot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(studio.ScreenshotDir, $"{name}.png") });

    public void Dispose()
    {
        _api.Dispose();
        Directory.Delete(_work, recursive: true);
    }
}
