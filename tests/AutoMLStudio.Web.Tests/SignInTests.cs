using AutoMLStudio.Core.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AutoMLStudio.Web.Tests;

/// <summary>The sign-in form against guessing: limits per address and per account, answers that name no account, redirects that stay home.</summary>
[Collection(StudioCollection.Name)]
public sealed class SignInTests(StudioApp app)
{
    [Theory]
    [InlineData("/\t/evil")]
    [InlineData("/\\evil")]
    [InlineData("//evil")]
    [InlineData("https://evil")]
    [InlineData("/\r\n/evil")]
    [InlineData("/datasets\\..\\\\evil")]
    public async Task A_return_url_that_could_leave_the_studio_sends_the_signed_in_person_home(string returnUrl)
    {
        var browser = Browser(app);

        var signIn = await browser.SignInAsync(StudioApp.AdminEmail, StudioApp.AdminPassword, returnUrl);

        Assert.Equal("/", FormBrowser.Location(signIn));
        var wrong = await browser.SignInAsync(StudioApp.AdminEmail, "not-the-password", returnUrl);
        Assert.Equal("/account/login?error=invalid&returnUrl=%2F", FormBrowser.Location(wrong));
    }

    [Fact]
    public async Task A_locked_account_gets_the_very_answer_an_unknown_email_gets()
    {
        var email = $"locked-{Guid.NewGuid():N}@test.local";
        await app.CreateUserAsync(StudioRoles.Viewer, email);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StudioUser>>();
            var user = await users.FindByEmailAsync(email);
            await users.SetLockoutEndDateAsync(user!, DateTimeOffset.UtcNow.AddMinutes(5));
        }
        var browser = Browser(app);

        var locked = FormBrowser.Location(await browser.SignInAsync(email, StudioAppExtensions.Password, "/datasets"));
        var unknown = FormBrowser.Location(await browser.SignInAsync($"nobody-{Guid.NewGuid():N}@test.local", StudioAppExtensions.Password, "/datasets"));
        var wrong = FormBrowser.Location(await browser.SignInAsync(StudioApp.AdminEmail, "not-the-password", "/datasets"));

        Assert.Equal(unknown, locked);
        Assert.Equal(unknown, wrong);
        var text = await browser.TextAsync(locked);
        Assert.Contains("Email or password is wrong, or the account is locked for a while after too many attempts", text);
    }

    private static FormBrowser Browser(WebApplicationFactory<Program> studio) =>
        new(studio.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
}
