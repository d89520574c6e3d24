using Microsoft.Playwright;

namespace AutoMLStudio.E2E;

/// <summary>One server and one browser for all browser tests; each test gets its own browser context (cookies).</summary>
public sealed class StudioFixture : IAsyncLifetime
{
    public StudioServer Server { get; private set; } = default!;
    public IPlaywright Playwright { get; private set; } = default!;
    public IBrowser Browser { get; private set; } = default!;

    public string ScreenshotDir { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        if (Directory.Exists(ScreenshotDir)) Directory.Delete(ScreenshotDir, recursive: true);
        Directory.CreateDirectory(ScreenshotDir);
        Server = await StudioServer.StartAsync(TimeSpan.FromSeconds(90));
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseUrl,
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
            AcceptDownloads = true,
        });
        await context.AddInitScriptAsync(CurveRecorder);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }

    /// <summary>A new browser context signed in as the given user, its circuit connected.</summary>
    public async Task<IPage> SignedInAsync(string email = StudioServer.AdminEmail, string password = StudioServer.AdminPassword)
    {
        var page = await NewPageAsync();
        var login = new Pages.LoginPage(page);
        await login.GotoAsync();
        await login.SignInAndWaitAsync(email, password);
        return page;
    }

    /// <summary>A full-page screenshot named <paramref name="name"/>.png in <see cref="ScreenshotDir"/>.</summary>
    public Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, $"{name}.png"), FullPage = true });

    /// <summary>
    /// Runs <paramref name="journey"/> in a signed-in page; when it fails, a screenshot "<paramref name="name"/>-failure"
    /// and the server's log show what the page and the studio were doing. The page's context is closed either way.
    /// </summary>
    public async Task JourneyAsync(Xunit.Abstractions.ITestOutputHelper output, string name, Func<IPage, Task> journey)
    {
        var page = await SignedInAsync();
        try
        {
            await journey(page);
        }
        catch
        {
            await ShotAsync(page, $"{name}-failure");
            output.WriteLine(Server.Log);
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>
    /// Records every distinct number of learning-curve points the document shows, so a test can prove the chart grew in
    /// place (one document, no reload) even when training is faster than any polling.
    /// </summary>
    private const string CurveRecorder = """
        window.__curveCounts = [];
        new MutationObserver(() => {
            const n = document.querySelectorAll('svg.learning-curves circle.curve-point').length;
            const seen = window.__curveCounts;
            if (seen.length === 0 || seen[seen.length - 1] !== n) seen.push(n);
        }).observe(document, { childList: true, subtree: true });
        """;

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        Playwright?.Dispose();
        if (Server is not null) await Server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class StudioCollection : ICollectionFixture<StudioFixture>
{
    public const string Name = "studio-e2e";
}
