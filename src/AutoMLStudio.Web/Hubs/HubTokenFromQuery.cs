using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace AutoMLStudio.Web.Hubs;

/// <summary>
/// A WebSocket from a browser cannot carry headers, so SignalR clients send the API key as <c>?access_token=</c>.
/// ASP.NET Core logs each request's URL ("Request starting ...") before any middleware runs, so the key is moved from
/// the query into the Authorization header while the request's context is made: no log line, and no code after this,
/// sees it in the URL, and request logs keep everything else.
/// </summary>
public sealed class HubTokenFromQuery(IServiceProvider services) : IHttpContextFactory
{
    private const string TokenName = "access_token";
    private readonly DefaultHttpContextFactory _inner = new(services);

    public HttpContext Create(IFeatureCollection featureCollection)
    {
        if (featureCollection.Get<IHttpRequestFeature>() is { } request) MoveToken(request);
        return _inner.Create(featureCollection);
    }

    public void Dispose(HttpContext httpContext) => _inner.Dispose(httpContext);

    private static void MoveToken(IHttpRequestFeature request)
    {
        if (!request.Path.StartsWith("/hubs", StringComparison.OrdinalIgnoreCase)
            || !request.QueryString.Contains(TokenName, StringComparison.OrdinalIgnoreCase)) return;
        var query = QueryHelpers.ParseQuery(request.QueryString);
        if (!query.Remove(TokenName, out var token)) return;

        var rest = new QueryBuilder(query.SelectMany(p => p.Value.Select(v => KeyValuePair.Create(p.Key, v ?? ""))));
        request.QueryString = rest.ToQueryString().Value ?? "";
        var rawPath = request.RawTarget.Split('?', 2)[0];
        request.RawTarget = rawPath + request.QueryString;
        if (!request.Headers.ContainsKey(HeaderNames.Authorization) && !string.IsNullOrEmpty(token))
            request.Headers.Authorization = "Bearer " + token;
    }
}
