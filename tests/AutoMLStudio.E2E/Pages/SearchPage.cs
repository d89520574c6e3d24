using Microsoft.Playwright;

namespace AutoMLStudio.E2E.Pages;

public sealed class SearchPage(IPage page)
{
    public ILocator CurvePoints => page.Locator("svg.learning-curves circle.curve-point");
    public ILocator CurveSeries => page.Locator("svg.learning-curves g.curve-series");
    public ILocator TestAccuracy => page.Locator(".test-accuracy");
    public ILocator ConfusionMatrix => page.Locator("table.confusion-matrix");
    public ILocator TrialRows => page.Locator(".trial-table tbody tr");
    public ILocator TrialArchitectures => page.Locator(".trial-table .trial-architecture");
    public ILocator TrialTrainings => page.Locator(".trial-table .trial-training");
    public ILocator ParetoPanel => page.Locator(".pareto-panel");
    public ILocator ParetoPoints => page.Locator("svg.pareto-scatter circle.pareto-point");
    public ILocator ParetoFrontPoints => page.Locator("svg.pareto-scatter circle.on-front");

    /// <summary>Waits, without reloading, until more curve points than <paramref name="than"/> are drawn.</summary>
    public async Task<int> WaitForMorePointsAsync(int than, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var count = await CurvePoints.CountAsync();
            if (count > than) return count;
            await Task.Delay(250);
        }
        throw new TimeoutException($"The learning curves did not grow past {than} points within {timeout}.");
    }

    /// <summary>The distinct curve-point counts this document has shown, in order (see the fixture's recorder).</summary>
    public Task<int[]> PointCountsSeenAsync() => page.EvaluateAsync<int[]>("() => window.__curveCounts");

    public Task ForgetPointCountsAsync() => page.EvaluateAsync("() => { window.__curveCounts = []; }");

    public Task WaitForCompletionAsync(TimeSpan timeout) =>
        TestAccuracy.WaitForAsync(new LocatorWaitForOptions { Timeout = (float)timeout.TotalMilliseconds });

    public async Task RegisterAsync(string name)
    {
        await page.FillAsync("#model-name", name);
        await page.Locator("#model-name").PressAsync("Tab");
        await page.ClickAsync(".register-model");
        await page.Locator(".registered").WaitForAsync();
    }

    public Task OpenModelsAsync() => page.ClickAsync(".open-models");
}
