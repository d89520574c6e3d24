using AutoMLStudio.Core;
using Microsoft.AspNetCore.Antiforgery;

namespace AutoMLStudio.Web.Auth;

/// <summary>
/// Programs call the API with an API key, which a browser never attaches by itself; the sign-in cookie it attaches to
/// every request a page makes, a script injected into a page or another site's form included. So a change made with the
/// cookie alone must carry the antiforgery token the studio's own pages are given (header RequestVerificationToken or
/// form field __RequestVerificationToken). Reading stays open to the cookie: pages link to downloads and CSV exports.
/// </summary>
public sealed class CookieAntiforgeryFilter(IAntiforgery antiforgery) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (ChangesState(http.Request.Method) && SignedInByCookie(http))
        {
            try
            {
                await antiforgery.ValidateRequestAsync(http);
            }
            catch (AntiforgeryValidationException)
            {
                throw new UserInputException("Antiforgery token missing",
                    "This call changes data and came with only the browser's sign-in cookie, without the token the studio's pages send. " +
                    "Programs and scripts sign in with an API key instead: send the header 'Authorization: Bearer <key>' (create a key " +
                    "under your account's API keys).", StatusCodes.Status403Forbidden);
            }
        }
        return await next(context);
    }

    private static bool ChangesState(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method));

    // A request with a Bearer header is authenticated by the key alone (the cookie is not read), so it needs no token.
    private static bool SignedInByCookie(HttpContext http) =>
        http.User.Identity?.IsAuthenticated == true && ApiKeyAuthenticationHandler.ReadSecret(http.Request) is null;
}
