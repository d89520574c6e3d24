using System.Security.Claims;
using AutoMLStudio.Core.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Web.Auth;

/// <summary>
/// Holds a person signed in with the published default password at the password change page: every other page redirects
/// there, and API and hub calls with that sign-in are refused, until the password is changed. API keys are not affected.
/// </summary>
public static class PasswordChangeGate
{
    public const string Claim = "amls:must_change_password";
    public const string PagePath = "/account/change-password";

    public static IApplicationBuilder UsePasswordChangeGate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!context.User.HasClaim(Claim, "true") || MayPass(context))
        {
            await next(context);
            return;
        }
        var path = context.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs") || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/_blazor"))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = 403, Title = "Password change needed",
                    Detail = $"This sign-in must change the published default password before it can do anything else: open {PagePath} in the browser. API keys are not affected.",
                },
            });
            return;
        }
        context.Response.Redirect($"{PagePath}?returnUrl={Uri.EscapeDataString(path + context.Request.QueryString)}");
    });

    // The account pages (sign-out, the change itself) and whatever a stranger may see (the sign-in page, styles, scripts).
    private static bool MayPass(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/account") || context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null;
}

/// <summary>Carries <see cref="StudioUser.MustChangePassword"/> in the sign-in cookie, so the gate needs no database read per request.</summary>
public sealed class StudioClaimsPrincipalFactory(UserManager<StudioUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<StudioUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(StudioUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.MustChangePassword) identity.AddClaim(new Claim(PasswordChangeGate.Claim, "true"));
        return identity;
    }
}
