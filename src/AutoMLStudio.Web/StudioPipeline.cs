using AutoMLStudio.Core;
using AutoMLStudio.Web.Api;
using AutoMLStudio.Web.Auth;
using AutoMLStudio.Web.Components;
using AutoMLStudio.Web.Hubs;
using AutoMLStudio.Web.Jobs;
using AutoMLStudio.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace AutoMLStudio.Web;

public static class StudioPipeline
{
    public static WebApplication UseStudioPipeline(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseUtf8ApiBodies();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UsePasswordChangeGate();
        app.UseRateLimiter();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapStudioEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health").AllowAnonymous();
        if (StudioRoleConfiguration.Read(app.Configuration) == StudioRole.Worker) return app;

        var maxUpload = app.Services.GetRequiredService<IOptions<StudioOptions>>().Value.Import.MaxUploadBytes;
        var api = app.MapGroup("/api/v1").RequireAuthorization().AddEndpointFilter<RouteGroupBuilder, CookieAntiforgeryFilter>();
        api.MapDatasetsApi(maxUpload);
        api.MapLabelsApi();
        api.MapSuggestionsApi();
        api.MapBackbonesApi();
        api.MapSearchesApi();
        api.MapModelsApi();
        api.MapEndpointKeysApi();
        api.MapBatchPredictionsApi(maxUpload);
        api.MapEndpointMonitoringApi();
        api.MapEndpointsApi(app.Services.GetRequiredService<IOptions<Core.Hosting.HostingOptions>>().Value.MaxRequestBytes);
        api.MapDevicesApi();
        api.MapAdminApi();
        api.MapLeaderboardApi();
        api.MapApiKeysApi();
        api.MapUsersApi();
        api.MapMeApi();

        app.MapOpenApi().RequireAuthorization();
        // A browsable reference with sample requests for every route, behind the same sign-in as the API it describes.
        // Everything it loads comes from the studio (its bundled script, system fonts, no AI agent or telemetry), so the
        // page works offline and under the Content-Security-Policy; its inline start-up runs by this response's nonce.
        app.MapScalarApiReference((o, context) => o.WithTitle("AutoML Studio API").DisableDefaultFonts().DisableAgent().DisableTelemetry().HideDeveloperTools()
            .AddHeadContent("<script src=\"/js/scalar-no-eval.js\"></script>").WithNonce(SecurityHeaders.NonceOf(context))).RequireAuthorization();
        app.MapHub<SearchHub>(SearchHub.Path).RequireAuthorization();
        app.MapHub<DatasetHub>(DatasetHub.Path).RequireAuthorization();
        app.MapAccountEndpoints();
        app.MapAdminJobsDashboard();

        app.MapStaticAssets().AllowAnonymous();
        // Blazor's own header (frame-ancestors 'self' alone) would stand in for the studio's whole policy.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null).RequireAuthorization();
        return app;
    }
}
