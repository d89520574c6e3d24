using Microsoft.Playwright;

namespace AutoMLStudio.E2E.Pages;

/// <summary>The page every signed-in page leads to while the account still has the published default password.</summary>
public sealed class ChangePasswordPage(IPage page)
{
    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Choose a new password" });
    public ILocator Error => page.Locator(".login-error");

    public async Task ChangeAsync(string current, string next, string? confirm = null)
    {
        await page.FillAsync("#currentPassword", current);
        await page.FillAsync("#newPassword", next);
        await page.FillAsync("#confirmPassword", confirm ?? next);
        await page.ClickAsync("form.login-form button[type=submit]");
    }
}
