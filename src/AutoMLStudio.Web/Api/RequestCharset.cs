using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace AutoMLStudio.Web.Api;

/// <summary>
/// The API reads text bodies as UTF-8 (JSON must be UTF-8 between systems, RFC 8259). A body labelled with another
/// charset gets a 415 that says so before any route reads it: the framework's JSON reader would otherwise throw on a
/// charset it does not know (utf-7, a typo) and the caller would see a 500.
/// </summary>
public static class RequestCharset
{
    public static IApplicationBuilder UseUtf8ApiBodies(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/api")
            && MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type)
            && type.Charset is { Length: > 0 } charset
            && !IsUtf8(charset.Value!))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = 415, Title = "Unsupported charset",
                    Detail = $"The body is labelled charset={charset}; this API reads UTF-8 only. Send the body in UTF-8 " +
                             "(Content-Type: application/json; charset=utf-8, or no charset at all).",
                },
            });
            return;
        }
        await next(context);
    });

    private static bool IsUtf8(string charset) =>
        charset.Trim('"').ToLowerInvariant() is "utf-8" or "utf8" or "us-ascii";
}
