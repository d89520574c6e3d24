using Microsoft.Playwright;

namespace AutoMLStudio.E2E.Pages;

public sealed class TrialComparisonPage(IPage page)
{
    public ILocator TrialColumns => page.Locator(".trial-comparison th.trial-column");
    public ILocator SettingRows => page.Locator(".trial-comparison tr.setting-row");
    public ILocator DifferingRows => page.Locator(".trial-comparison tr.differs");
    public ILocator DifferingMarkers => page.Locator(".trial-comparison tr.differs .differs-marker");
    public ILocator CurveSeries => page.Locator("svg.learning-curves g.curve-series");
    public ILocator ConfusionMatrices => page.Locator(".trial-confusion table.confusion-matrix");
    public ILocator ClassScoreRows => page.Locator(".trial-confusion .class-scores tr.class-score");
    public ILocator Problem => page.Locator(".comparison-problem");

    public Task GotoAsync(Guid searchId, string trials) => page.GotoAsync($"/searches/{searchId}/compare?trials={trials}");

    /// <summary>The values of one setting row, one per compared trial.</summary>
    public Task<IReadOnlyList<string>> ValuesAsync(string setting) =>
        page.Locator($".trial-comparison tr[data-setting='{setting}'] td").AllInnerTextsAsync();

    public Task ShowOnlyDifferencesAsync() => page.Locator(".only-differences input").CheckAsync();
}
