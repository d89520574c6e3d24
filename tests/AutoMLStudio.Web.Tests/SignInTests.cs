using System.Net;
using AutoMLStudio.Core.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
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

    [Fact]
    public async Task Failed_sign_ins_lock_the_account_and_too_many_from_one_address_are_held_off_while_another_address_is_not()
    {
        await using var studio = new StudioApp();
        await using var limited = studio.WithWebHostBuilder(b => b
            .UseSetting("Studio:SignIn:AttemptsPerAddress", "4")
            .UseSetting("Studio:SignIn:WindowSeconds", "120")
            .UseSetting("Studio:SignIn:MaxFailedAttempts", "3"));
        // A real server on both loopback addresses: two clients that differ only in their address.
        limited.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Listen(IPAddress.IPv6Loopback, 0);
        });
        limited.StartServer();
        var addresses = limited.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var email = $"guessed-{Guid.NewGuid():N}@test.local";
        await using (var scope = limited.Services.CreateAsyncScope())
        {
            var user = new StudioUser { UserName = email, Email = email };
            Assert.True((await scope.ServiceProvider.GetRequiredService<UserManager<StudioUser>>().CreateAsync(user, StudioAppExtensions.Password)).Succeeded);
        }
        var v4 = Browser(new Uri(addresses.Single(a => a.Contains("127.0.0.1", StringComparison.Ordinal))));
        var v6 = Browser(new Uri(addresses.Single(a => a.Contains("[::1]", StringComparison.Ordinal))));

        // Per account: three wrong passwords lock it, so the right one no longer signs in.
        for (var i = 0; i < 3; i++) Assert.Contains("error=invalid", FormBrowser.Location(await v4.SignInAsync(email, $"wrong-{i}")));
        await using (var scope = limited.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StudioUser>>();
            Assert.True(await users.IsLockedOutAsync((await users.FindByEmailAsync(email))!));
        }
        Assert.Contains("error=invalid", FormBrowser.Location(await v4.SignInAsync(email, StudioAppExtensions.Password)));

        // Per address: the fifth attempt from 127.0.0.1 is held off with a page that says how long to wait...
        var held = await v4.SignInAsync($"other-{Guid.NewGuid():N}@test.local", "anything");
        var target = FormBrowser.Location(held);
        Assert.StartsWith("/account/login?error=throttled&wait=", target);
        var wait = int.Parse(target.Split("wait=")[1].Split('&')[0]);
        Assert.InRange(wait, 1, 120);
        Assert.Equal(wait.ToString(), held.Headers.RetryAfter?.Delta?.TotalSeconds.ToString());
        Assert.Contains($"Too many sign-in attempts from your network. Wait {wait} s and try again.", await v4.TextAsync(target));

        // ...while ::1 still gets an ordinary answer.
        Assert.Contains("error=invalid", FormBrowser.Location(await v6.SignInAsync($"other-{Guid.NewGuid():N}@test.local", "anything")));
    }

    private static FormBrowser Browser(WebApplicationFactory<Program> studio) =>
        new(studio.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    private static FormBrowser Browser(Uri server) =>
        new(new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = server });
}
