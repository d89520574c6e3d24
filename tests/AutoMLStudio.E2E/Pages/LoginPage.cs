using Microsoft.Playwright;

namespace AutoMLStudio.E2E.Pages;

public sealed class LoginPage(IPage page)
{
    public ILocator Error => page.Locator(".login-error");

    public Task GotoAsync() => page.GotoAsync("/account/login");

    public async Task SignInAsync(string email, string password)
    {
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("form.login-form button[type=submit]");
    }

    /// <summary>Signs in and waits until the interactive app has connected.</summary>
    public async Task SignInAndWaitAsync(string email, string password)
    {
        await SignInAsync(email, password);
        await page.WaitForURLAsync(url => !url.Contains("/account/login"));
        await Interactive.WaitAsync(page);
    }
}

/// <summary>A prerendered page shows everything but drops clicks and file choices until its circuit is connected.</summary>
public static class Interactive
{
    public static Task WaitAsync(IPage page) =>
        page.Locator("#circuit-ready").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    /// <summary>
    /// Chooses files in a Blazor file input once Blazor listens to it: a circuit can be connected while an input
    /// rendered after it (a tab, a panel) is not yet wired, and files chosen before that are silently dropped.
    /// </summary>
    public static async Task ChooseFilesAsync(ILocator input, params IEnumerable<string> paths)
    {
        var element = await input.ElementHandleAsync();
        await input.Page.WaitForFunctionAsync("el => el._blazorInputFileNextFileId !== undefined", element);
        await input.SetInputFilesAsync(paths);
    }
}
