using System.Diagnostics;
using Xunit.Abstractions;

namespace AutoMLStudio.E2E;

/// <summary>The labeling grid renders only what is on screen, so 20,000 items behave like 20.</summary>
[Collection(StudioCollection.Name)]
public sealed class LargeGridTests(StudioFixture studio, ITestOutputHelper output) : IDisposable
{
    private const int RowHeight = 148;
    private const int TilesPerRow = 6;
    private readonly string _work = Directory.CreateTempSubdirectory("amls-e2e-large-").FullName;

    [Fact]
    public async Task A_grid_of_20000_images_jumps_anywhere_and_shows_the_tiles_there()
    {
        var zip = TestZip.Create(_work, perClass: 6667);
        using var api = new StudioApi(studio.Server);
        var datasetId = await api.UploadReadyAsync(zip, "twenty thousand");
        var page = await studio.SignedInAsync();
        var labeling = new Pages.LabelingPage(page);

        var clock = Stopwatch.StartNew();
        await labeling.GotoAsync(datasetId);
        output.WriteLine($"page ready after {clock.ElapsedMilliseconds} ms");
        Assert.True(await labeling.Tiles.CountAsync() < 200, "only the rows near the viewport are rendered");

        foreach (var fraction in new[] { 0.35, 0.9, 1.0 })
        {
            clock.Restart();
            var firstVisible = await page.EvaluateAsync<int>(
                "([f, h, n]) => { const g = document.querySelector('.labeling-grid'); g.scrollTop = (g.scrollHeight - g.clientHeight) * f; return Math.floor(g.scrollTop / h) * n; }",
                new object[] { fraction, RowHeight, TilesPerRow });
            await page.Locator($".label-tile[data-index=\"{firstVisible}\"] img").WaitForAsync();
            output.WriteLine($"jump to {fraction:P0} (tile {firstVisible}): tiles shown after {clock.ElapsedMilliseconds} ms");
            Assert.True(await labeling.Tiles.CountAsync() < 200);
        }
        await labeling.Tile(20_000).WaitForAsync();

        // Frame gaps while scrolling row by row: a figure to read, not a pass/fail bound.
        var gaps = await page.EvaluateAsync<double[]>("""
            async () => {
                const g = document.querySelector('.labeling-grid'); g.scrollTop = 0;
                const gaps = []; let last = performance.now();
                for (let i = 0; i < 200; i++) {
                    g.scrollTop += 74; await new Promise(r => requestAnimationFrame(r));
                    const now = performance.now(); gaps.push(now - last); last = now;
                }
                gaps.sort((a, b) => a - b);
                return [gaps[100], gaps[190], gaps[199]];
            }
            """);
        output.WriteLine($"scroll frame gaps: median {gaps[0]:0.0} ms, p95 {gaps[1]:0.0} ms, max {gaps[2]:0.0} ms");
        await page.ScreenshotAsync(new() { Path = Path.Combine(studio.ScreenshotDir, "labeling-20000.png") });
        await page.Context.CloseAsync();
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
