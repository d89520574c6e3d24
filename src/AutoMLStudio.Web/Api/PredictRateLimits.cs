using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Web.Api;

/// <summary>
/// A token bucket per API key (per user for cookie sign-ins) on the predict route, at the key's own limit or the
/// configured default. Over the limit a caller gets 429
/// with Retry-After and a problem that says so; ASP.NET Core's limiter would answer a bare 503.
/// </summary>
public static class PredictRateLimits
{
    public static void AddPredictRateLimits(this IServiceCollection services) => services.AddRateLimiter(o =>
    {
        o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        o.OnRejected = async (context, ct) =>
        {
            var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
            var http = context.HttpContext;
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new ProblemDetails
                {
                    Status = 429, Title = "Too many requests",
                    Detail = $"This API key made more predictions than its limit allows. Wait {seconds} s and try again. A program that needs more can use an endpoint key created with its own requestsPerSecond, or an admin can raise the default (Hosting:RequestsPerSecondPerKey).",
                },
            });
        };
        o.AddPolicy(EndpointsApi.PredictRateLimit, http =>
        {
            var caller = http.User.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim)
                         ?? http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous";
            var perSecond = int.TryParse(http.User.FindFirstValue(ApiKeyAuthenticationHandler.RateLimitClaim), out var own)
                ? own
                : http.RequestServices.GetRequiredService<IOptions<HostingOptions>>().Value.RequestsPerSecondPerKey;
            return RateLimitPartition.GetTokenBucketLimiter($"{caller}/{perSecond}", _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = perSecond,
                TokensPerPeriod = perSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
    });
}
