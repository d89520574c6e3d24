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
    public ILocator CurvesPanel => page.Locator(".learning-curves-panel");

    /// <summary>Clicks the chart's PNG button in <paramref name="panel"/>; returns the file's name and bytes.</summary>
    public async Task<(string Name, byte[] Png)> DownloadChartAsync(ILocator panel)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => panel.Locator(".chart-png").ClickAsync());
        return (download.SuggestedFilename, await File.ReadAllBytesAsync(await download.PathAsync()));
    }
    public ILocator ParetoPoints => page.Locator("svg.pareto-scatter circle.pareto-point");
    public ILocator ParetoFrontPoints => page.Locator("svg.pareto-scatter circle.on-front");
    public ILocator ScatterLimitLabel => page.Locator("svg.pareto-scatter g.scatter-limit .limit-label");
    public ILocator ParallelPanel => page.Locator(".parallel-panel");
    public ILocator ParallelAxes => page.Locator("svg.parallel-coordinates g.pc-axis");
    public ILocator ParallelLines => page.Locator("svg.parallel-coordinates polyline.pc-line");
    public ILocator ImportancePanel => page.Locator(".importance-panel");
    public ILocator ImportanceBars => page.Locator("svg.importance-bars g.importance-bar");
    public ILocator Metric => page.Locator(".search-metric");
    public ILocator MetricDirection => page.Locator(".metric-direction");
    public ILocator TestMetric => page.Locator(".test-metric");
    public ILocator ClassScoreRows => page.Locator(".class-scores tr.class-score");
    public ILocator RefinesBanner => page.Locator(".refines-banner");
    public ILocator InheritedChips => page.Locator(".trial-table .inherited-chip");
    public ILocator FinalRetrainResult => page.Locator(".final-retrain-result");
    public ILocator Mistakes => page.Locator(".mistakes-gallery");
    public ILocator MistakeCards => page.Locator(".mistakes-gallery .mistake-card");

    public async Task GotoAsync(Guid searchId)
    {
        await page.GotoAsync($"/searches/{searchId}");
        await Interactive.WaitAsync(page);
    }

    /// <summary>Clicks "Fix label" on the <paramref name="index"/>th mistake and waits for the labeling page to show that item.</summary>
    public async Task FixLabelAsync(int index, bool rows = false)
    {
        await MistakeCards.Nth(index).Locator(".fix-label").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/label?item=", StringComparison.Ordinal));
        await page.Locator(rows ? ".label-rows-table tbody tr .row-label" : ".fix-label-banner .fix-item-name").First.WaitForAsync();
    }

    public ILocator CompareButton => page.Locator(".trial-table .compare-trials");
    public ILocator TrialDurations => page.Locator(".trial-table td.trial-duration");
    public ILocator TrialLatencies => page.Locator(".trial-table td.trial-latency");

    /// <summary>Ticks a trial's row in the trial table for comparison.</summary>
    public Task TickTrialAsync(int number) => page.Locator($".trial-table .trial-select input[data-trial='{number}']").CheckAsync();

    /// <summary>Opens the comparison of the ticked trials and waits for its settings table.</summary>
    public async Task CompareAsync()
    {
        await CompareButton.ClickAsync();
        await page.WaitForURLAsync("**/compare?trials=*");
        await page.Locator(".trial-comparison").WaitForAsync();
    }

    /// <summary>Opens the refine form (the train form, pre-filled with this search's objective).</summary>
    public async Task OpenRefineFormAsync()
    {
        await page.ClickAsync(".refine-search");
        await page.Locator(".train-form").WaitForAsync();
    }

    /// <summary>Starts the refined search and waits until its own page opens.</summary>
    public async Task StartRefiningAsync()
    {
        var parent = page.Url;
        await page.ClickAsync(".start-training");
        await page.WaitForURLAsync(url => url != parent && url.Contains("/searches/", StringComparison.Ordinal),
            new PageWaitForURLOptions { Timeout = 30_000 });
    }

    /// <summary>Each trial's parameter count as the trial table shows it.</summary>
    public async Task<long[]> TrialParamsAsync() =>
        [.. (await page.Locator(".trial-table td.trial-params").EvaluateAllAsync<string[]>("cells => cells.map(c => c.dataset.params)")).Select(long.Parse)];

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
