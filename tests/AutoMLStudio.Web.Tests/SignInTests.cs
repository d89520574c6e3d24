using Microsoft.AspNetCore.Mvc.Testing;

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

    private static FormBrowser Browser(WebApplicationFactory<Program> studio) =>
        new(studio.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
}
