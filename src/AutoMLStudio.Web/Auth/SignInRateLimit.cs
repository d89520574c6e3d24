using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Web.Auth;

/// <summary>
/// Sign-in attempts per client address, on top of Identity's lockout per account: lockout alone lets one address try
/// one password on every account (spraying) and lets a stranger lock anyone out at will. Held-off attempts land on the
/// sign-in page with the wait in words, not on the bare 429 a browser would show.
/// </summary>
public static class SignInRateLimit
{
    public const string Policy = "sign-in";

    public static void AddSignInLimits(this IServiceCollection services)
    {
        services.AddOptions<SignInThrottleOptions>().BindConfiguration(SignInThrottleOptions.Section)
            .Validate(o => o.IsValid, $"Every value under {SignInThrottleOptions.Section} must be a positive whole number.")
            .ValidateOnStart();
        services.AddOptions<IdentityOptions>().Configure<IOptions<SignInThrottleOptions>>((identity, limits) =>
        {
            identity.Lockout.AllowedForNewUsers = true;
            identity.Lockout.MaxFailedAccessAttempts = limits.Value.MaxFailedAttempts;
            identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(limits.Value.LockoutMinutes);
        });
        services.AddRateLimiter(o => o.AddPolicy(Policy, new AddressPolicy()));
    }

    /// <summary>
    /// The connection's own address: behind a reverse proxy, turn on ASP.NET Core's forwarded headers
    /// (ASPNETCORE_FORWARDEDHEADERS_ENABLED=true) so that this is the client's and not the proxy's.
    /// </summary>
    public static string AddressOf(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        // One IPv6 subscriber holds a whole /64 and can pick a fresh address for every attempt.
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private sealed class AddressPolicy : IRateLimiterPolicy<string>
    {
        public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => (context, _) =>
        {
            var window = context.HttpContext.RequestServices.GetRequiredService<IOptions<SignInThrottleOptions>>().Value.WindowSeconds;
            var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                : window;
            var response = context.HttpContext.Response;
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            response.Redirect($"/account/login?error=throttled&wait={seconds}");
            return ValueTask.CompletedTask;
        };

        public RateLimitPartition<string> GetPartition(HttpContext httpContext)
        {
            var limits = httpContext.RequestServices.GetRequiredService<IOptions<SignInThrottleOptions>>().Value;
            return RateLimitPartition.GetFixedWindowLimiter(AddressOf(httpContext), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limits.AttemptsPerAddress,
                Window = TimeSpan.FromSeconds(limits.WindowSeconds),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        }
    }
}
