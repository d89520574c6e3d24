using AutoMLStudio.Core.Identity;
using AutoMLStudio.Web.Auth;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authentication;

namespace AutoMLStudio.Web.Jobs;

/// <summary>
/// Admits only a signed-in Admin to Hangfire's dashboard. Hangfire's default filter admits every local request, which
/// behind a reverse proxy on the same host is every request. The route also carries the Admin policy; this filter is
/// the dashboard's own check, so it stays closed even if the route's policy were dropped.
/// </summary>
public sealed class AdminDashboardAuthorizationFilter : IDashboardAsyncAuthorizationFilter
{
    public async Task<bool> AuthorizeAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var user = http.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            // Identity makes the cookie the default authenticate scheme; the app's own scheme reads an API key too.
            var result = await http.AuthenticateAsync(DependencyInjection.SmartScheme);
            if (!result.Succeeded) return false;
            user = result.Principal;
        }
        return user.IsInRole(StudioRoles.Admin);
    }
}

public static class AdminDashboard
{
    public const string Path = "/admin/jobs";

    /// <summary>The Hangfire dashboard at <see cref="Path"/>, for admins only (the route's policy and the dashboard's own filter).</summary>
    public static IEndpointConventionBuilder MapAdminJobsDashboard(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapHangfireDashboard(Path, new DashboardOptions
        {
            Authorization = [],
            AsyncAuthorization = [new AdminDashboardAuthorizationFilter()],
            AppPath = "/admin",
            DashboardTitle = "AutoML Studio jobs",
            DisplayStorageConnectionString = false,
        }).RequireAuthorization().RequireAuthorization(StudioPolicies.Admin); // the default policy brings the API-key-or-cookie scheme
}
