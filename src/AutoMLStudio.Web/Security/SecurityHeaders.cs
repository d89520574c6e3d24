using System.Security.Cryptography;

namespace AutoMLStudio.Web.Security;

/// <summary>
/// Headers on every response that keep a script injected into stored data from running, the studio from being framed,
/// and browsers from guessing a file's type. A route that sets its own (stricter) policy keeps it.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceKey = "studio.csp-nonce";

    /// <summary>
    /// The nonce that lets this response's own inline scripts run (Blazor's import map, the API reference's start-up):
    /// a fresh random value per response, so markup copied from data can never carry a valid one.
    /// </summary>
    public static string NonceOf(HttpContext context)
    {
        if (context.Items[NonceKey] is string nonce) return nonce;
        nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)); // hex: no character that HTML encoding would change
        context.Items[NonceKey] = nonce;
        return nonce;
    }

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // On starting, not now: the exception handler clears headers set before it, and the page decides on its nonce while rendering.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.TryAdd("Content-Security-Policy", Policy(context));
                headers.XContentTypeOptions = "nosniff";
                // frame-ancestors for browsers that predate it; antiforgery's SAMEORIGIN, set with each token, is weaker.
                headers.XFrameOptions = "DENY";
                headers.TryAdd("Referrer-Policy", "same-origin");
                return Task.CompletedTask;
            });
            return next(context);
        });

    private static string Policy(HttpContext context)
    {
        var scripts = context.Items[NonceKey] is string nonce ? $"'self' 'nonce-{nonce}'" : "'self'";
        // Blazor's circuit is a WebSocket back to this host; browsers before CSP 3 do not count ws: as 'self'.
        var socket = context.Request.Host.HasValue ? $" {(context.Request.IsHttps ? "wss" : "ws")}://{context.Request.Host}" : "";
        return "default-src 'self'; " +
               $"script-src {scripts}; " +
               // MudBlazor positions popovers and sizes bars with style attributes; styles cannot run code.
               "style-src 'self' 'unsafe-inline'; " +
               "img-src 'self' data: blob:; " +
               "font-src 'self' data:; " +
               $"connect-src 'self'{socket}; " +
               "object-src 'none'; " +
               "base-uri 'self'; " +
               "form-action 'self'; " +
               "frame-ancestors 'none'";
    }
}
