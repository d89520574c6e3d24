using AutoMLStudio.Core;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace AutoMLStudio.Web;

/// <summary>The one place that turns exceptions into RFC 7807 problem details a non-expert can act on.</summary>
public sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problems, ILogger<ProblemDetailsExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var (status, title, detail) = exception switch
        {
            UserInputException e => (e.Status, e.Title, e.Detail),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                (413, "Upload too large", $"The request is larger than this server accepts{Limit(context)}. Split the data into smaller files."),
            InvalidDataException e when e.Message.Contains("body length limit", StringComparison.OrdinalIgnoreCase) =>
                (413, "Upload too large", $"The upload is larger than this server accepts{Limit(context)}. Split the data into smaller files."),
            BadHttpRequestException e when e.InnerException is System.Text.Json.JsonException =>
                (400, "Invalid JSON", $"The request body is not valid JSON for this call: {e.InnerException.Message}"),
            BadHttpRequestException { InnerException: InvalidDataException or IOException } e when ReadingTheRequest(e.InnerException!) =>
                (400, "Form not readable", FormDetail(e.InnerException!)),
            BadHttpRequestException e => (e.StatusCode, "Bad request", e.Message),
            // After the arms above: BadHttpRequestException is an IOException too.
            InvalidDataException or IOException when ReadingTheRequest(exception) => (400, "Form not readable", FormDetail(exception)),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => (499, "Request aborted", "The client went away."),
            _ => (500, "Unexpected error", "Something went wrong on the server. The error was logged; try again, and tell an admin if it persists."),
        };
        if (status >= 500) logger.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);

        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>
    /// The framework's form and multipart readers throw these for a body they cannot read (no boundary, a cut-off part, a
    /// key past its length or count limit): the client's mistake, wherever the form is read. The same types from our own
    /// code (a corrupt zip, a full disk) stay server errors.
    /// </summary>
    private static bool ReadingTheRequest(Exception exception) =>
        exception.TargetSite?.DeclaringType?.Namespace?.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) == true;

    private static string FormDetail(Exception exception) =>
        $"The request's form could not be read: {exception.Message.TrimEnd('.')}. Send files and fields as multipart/form-data " +
        "(as curl -F does), or JSON with Content-Type: application/json where the call takes JSON.";

    private static string Limit(HttpContext context)
    {
        var limit = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        return limit is null ? "" : $" ({limit.Value / (1024 * 1024)} MB)";
    }
}
