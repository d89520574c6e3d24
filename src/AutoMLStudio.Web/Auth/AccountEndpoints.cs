using AutoMLStudio.Core.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace AutoMLStudio.Web.Auth;

public static class AccountEndpoints
{
    /// <summary>
    /// Sign-in, sign-out and password change as plain form posts: a cookie can only be set on an HTTP response, never from inside
    /// an interactive circuit.
    /// </summary>
    public static void MapAccountEndpoints(this WebApplication app)
    {
        var account = app.MapGroup("/account").ExcludeFromDescription();

        account.MapPost("/login", async ([FromForm] string? email, [FromForm] string? password, [FromForm] string? returnUrl,
                SignInManager<StudioUser> signIn) =>
            {
                var back = SafeReturnUrl(returnUrl);
                if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
                    return Results.Redirect($"/account/login?error=missing&returnUrl={Uri.EscapeDataString(back)}");
                var result = await signIn.PasswordSignInAsync(email.Trim(), password, isPersistent: true, lockoutOnFailure: true);
                if (result.Succeeded) return Results.LocalRedirect(back);
                // A locked account gets the answer an unknown email gets, so the form tells nobody which emails have accounts.
                return Results.Redirect($"/account/login?error=invalid&returnUrl={Uri.EscapeDataString(back)}");
            })
            .AllowAnonymous()
            .RequireRateLimiting(SignInRateLimit.Policy);

        account.MapPost("/change-password", async ([FromForm] string? currentPassword, [FromForm] string? newPassword,
                [FromForm] string? confirmPassword, [FromForm] string? returnUrl, HttpContext http, UserManager<StudioUser> users,
                SignInManager<StudioUser> signIn) =>
            {
                var back = SafeReturnUrl(returnUrl);
                IResult Again(string error) => Results.Redirect($"{PasswordChangeGate.PagePath}?error={error}&returnUrl={Uri.EscapeDataString(back)}");
                var user = await users.GetUserAsync(http.User);
                if (user is null) return Results.Redirect("/account/login");
                if (string.IsNullOrEmpty(currentPassword) || string.IsNullOrEmpty(newPassword)) return Again("missing");
                if (newPassword != confirmPassword) return Again("confirm");
                if (newPassword == currentPassword) return Again("same");
                if (!await users.CheckPasswordAsync(user, currentPassword)) return Again("current");
                if (!(await users.ChangePasswordAsync(user, currentPassword, newPassword)).Succeeded) return Again("weak");

                user.MustChangePassword = false;
                await users.UpdateAsync(user);
                // A new cookie without the gate's claim (the change also renewed the security stamp the old one carries).
                await signIn.RefreshSignInAsync(user);
                return Results.LocalRedirect(back);
            })
            .RequireAuthorization();

        account.MapPost("/logout", async (SignInManager<StudioUser> signIn) =>
            {
                await signIn.SignOutAsync();
                return Results.LocalRedirect("/account/login");
            })
            .RequireAuthorization();
    }

    /// <summary>
    /// A path on this site, else home. Browsers drop tabs and line breaks from a URL and read a backslash as "/", so "/", tab,
    /// "/evil" or "/", backslash, "evil" would leave the site (and ASP.NET Core's local redirect throws on them).
    /// </summary>
    internal static string SafeReturnUrl(string? url) =>
        url is ['/', ..] && !url.StartsWith("//", StringComparison.Ordinal) && !url.Any(c => char.IsControl(c) || c == '\\') ? url : "/";
}
