using AutoMLStudio.E2E.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AutoMLStudio.E2E;

/// <summary>
/// A studio started on the password the README publishes (what <c>dotnet run</c> creates): the sign-in page warns, and
/// the first sign-in must replace the password before anything else opens.
/// </summary>
[Collection(StudioCollection.Name)]
public sealed class DefaultPasswordTests(StudioFixture studio, ITestOutputHelper output)
{
    // appsettings.Development.json's AdminPassword, as README's table lists it.
    private const string PublishedPassword = "ChangeMe-123";
    private const string NewPassword = "Mine-and-only-m1ne";

    [Fact]
    public async Task The_published_password_signs_in_once_to_be_replaced_and_then_the_new_one_signs_in()
    {
        await using var server = await StudioServer.StartAsync(TimeSpan.FromSeconds(90),
            new Dictionary<string, string> { ["Studio__Bootstrap__AdminPassword"] = PublishedPassword });
        var context = await studio.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseUrl, ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        try
        {
            var login = new LoginPage(page);
            await login.GotoAsync();
            await Assertions.Expect(page.Locator(".mud-alert")).ToContainTextAsync($"{StudioServer.AdminEmail} still has the published default password");
            await studio.ShotAsync(page, "40-sign-in-default-credentials");

            await login.SignInAsync(StudioServer.AdminEmail, PublishedPassword);
            await page.WaitForURLAsync(url => url.Contains("/account/change-password"));
            var change = new ChangePasswordPage(page);
            await Assertions.Expect(change.Heading).ToBeVisibleAsync();
            await page.GotoAsync("/datasets");
            await page.WaitForURLAsync(url => url.Contains("/account/change-password"));

            await change.ChangeAsync(PublishedPassword, PublishedPassword);
            await Assertions.Expect(change.Error).ToContainTextAsync("must differ from the current one");
            await studio.ShotAsync(page, "41-change-default-password");
            await change.ChangeAsync(PublishedPassword, NewPassword);
            await page.WaitForURLAsync(url => !url.Contains("/account/"));
            await Interactive.WaitAsync(page);
            await Assertions.Expect(page.Locator(".signed-in-user")).ToHaveTextAsync(StudioServer.AdminEmail);

            await page.ClickAsync("form.sign-out-form button[type=submit]");
            await page.WaitForURLAsync(url => url.Contains("/account/login"));
            await Assertions.Expect(page.Locator(".mud-alert")).ToHaveCountAsync(0);
            await login.SignInAsync(StudioServer.AdminEmail, PublishedPassword);
            await Assertions.Expect(login.Error).ToBeVisibleAsync();
            await login.SignInAndWaitAsync(StudioServer.AdminEmail, NewPassword);
            Assert.DoesNotContain("/account/", page.Url);
        }
        catch
        {
            await studio.ShotAsync(page, "default-password-failure");
            output.WriteLine(server.Log);
            throw;
        }
        finally
        {
            await context.CloseAsync();
        }
    }
}
