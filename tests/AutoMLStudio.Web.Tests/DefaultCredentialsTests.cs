using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace AutoMLStudio.Web.Tests;

/// <summary>
/// <c>dotnet run</c> creates the admin and key that the README publishes. Anyone who read it can sign in, so the studio
/// says so at start and on the sign-in page, and the first sign-in with the published password must replace it.
/// </summary>
[Collection(StudioCollection.Name)]
public sealed class DefaultCredentialsTests(StudioApp app)
{
    private const string NewPassword = "Chosen-by-me-42";

    [Fact]
    public async Task A_studio_on_the_published_admin_and_key_warns_at_start_and_on_the_sign_in_page()
    {
        var dev = DevelopmentDefaults.Read();
        var logs = new LogCapture();
        await using var studio = new StudioApp();
        await using var published = OnPublishedDefaults(studio, dev, logs);
        var browser = Browser(published);

        var page = await browser.Client.GetStringAsync("/account/login");

        var warning = Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("published default", StringComparison.Ordinal));
        Assert.Contains(dev.Email, warning.Message);
        Assert.Contains(dev.ApiKey, warning.Message);
        Assert.Contains("change", warning.Message);
        Assert.Contains("mud-alert", page);
        var text = await browser.TextAsync("/account/login");
        Assert.Contains($"The admin account {dev.Email} still has the published default password", text);
        Assert.Contains("The published development API key still works", text);
    }

    [Fact]
    public async Task Signing_in_with_the_published_password_leads_every_page_to_a_password_change_until_it_is_changed()
    {
        var dev = DevelopmentDefaults.Read();
        await using var studio = new StudioApp();
        await using var published = OnPublishedDefaults(studio, dev, new LogCapture());
        var browser = Browser(published);

        Assert.Equal("/datasets", FormBrowser.Location(await browser.SignInAsync(dev.Email, dev.Password, "/datasets")));
        const string change = "/account/change-password?returnUrl=%2Fdatasets";
        Assert.Equal(change, FormBrowser.Location(await browser.Client.GetAsync("/datasets")));
        Assert.Equal("/account/change-password?returnUrl=%2F", FormBrowser.Location(await browser.Client.GetAsync("/")));
        Assert.Equal("/account/change-password?returnUrl=%2Fadmin", FormBrowser.Location(await browser.Client.GetAsync("/admin")));
        var api = await browser.Client.GetAsync("/api/v1/datasets");
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Contains("change the published default password", await api.Content.ReadAsStringAsync());
        Assert.Contains("Choose a new password", await browser.TextAsync(change));

        Assert.Equal("/account/change-password?error=same&returnUrl=%2Fdatasets", FormBrowser.Location(await ChangeAsync(browser, dev.Password, dev.Password)));
        Assert.Contains("must differ from the current one", await browser.TextAsync("/account/change-password?error=same&returnUrl=%2Fdatasets"));
        Assert.Equal("/account/change-password?error=weak&returnUrl=%2Fdatasets", FormBrowser.Location(await ChangeAsync(browser, dev.Password, "short")));
        Assert.Contains("at least 8 characters", await browser.TextAsync("/account/change-password?error=weak&returnUrl=%2Fdatasets"));
        Assert.Equal("/account/change-password?error=current&returnUrl=%2Fdatasets", FormBrowser.Location(await ChangeAsync(browser, "Not-the-current-1", NewPassword)));
        Assert.Equal("/account/change-password?error=confirm&returnUrl=%2Fdatasets", FormBrowser.Location(await ChangeAsync(browser, dev.Password, NewPassword, "Typo-" + NewPassword)));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Client.GetAsync("/datasets")).StatusCode);

        Assert.Equal("/datasets", FormBrowser.Location(await ChangeAsync(browser, dev.Password, NewPassword)));
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/datasets")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/api/v1/datasets")).StatusCode);

        // The old password is gone, the new one signs in straight to the page, and the sign-in page no longer names the account.
        var later = Browser(published);
        Assert.Contains("error=invalid", FormBrowser.Location(await later.SignInAsync(dev.Email, dev.Password)));
        Assert.Equal("/datasets", FormBrowser.Location(await later.SignInAsync(dev.Email, NewPassword, "/datasets")));
        Assert.Equal(HttpStatusCode.OK, (await later.Client.GetAsync("/datasets")).StatusCode);
        var text = await later.TextAsync("/account/login");
        Assert.DoesNotContain("still has the published default password", text);
        Assert.Contains("The published development API key still works", text);
    }

    [Fact]
    public async Task An_admin_bootstrapped_with_a_password_of_their_own_is_neither_warned_about_nor_asked_to_change_it()
    {
        var browser = Browser(app);

        Assert.Equal("/datasets", FormBrowser.Location(await browser.SignInAsync(StudioApp.AdminEmail, StudioApp.AdminPassword, "/datasets")));

        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/datasets")).StatusCode);
        Assert.DoesNotContain("mud-alert", await Browser(app).Client.GetStringAsync("/account/login"));
    }

    private static WebApplicationFactory<Program> OnPublishedDefaults(StudioApp studio, DevelopmentDefaults dev, LogCapture logs)
    {
        var published = studio.WithWebHostBuilder(b => b
            .UseSetting("Studio:Bootstrap:AdminEmail", dev.Email)
            .UseSetting("Studio:Bootstrap:AdminPassword", dev.Password)
            .UseSetting("Studio:Bootstrap:ApiKey", dev.ApiKey)
            .ConfigureLogging(logs.AddTo));
        _ = published.Server;
        return published;
    }

    private static Task<HttpResponseMessage> ChangeAsync(FormBrowser browser, string current, string next, string? confirm = null) =>
        browser.PostAsync("/account/change-password?returnUrl=%2Fdatasets", "/account/change-password", new()
        {
            ["currentPassword"] = current, ["newPassword"] = next, ["confirmPassword"] = confirm ?? next, ["returnUrl"] = "/datasets",
        });

    private static FormBrowser Browser(WebApplicationFactory<Program> studio) =>
        new(studio.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
}
