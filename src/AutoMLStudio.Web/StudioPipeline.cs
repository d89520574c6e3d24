using AutoMLStudio.Core;
using AutoMLStudio.Web.Api;
using AutoMLStudio.Web.Auth;
using AutoMLStudio.Web.Components;
using AutoMLStudio.Web.Hubs;
using AutoMLStudio.Web.Jobs;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace AutoMLStudio.Web;

public static class StudioPipeline
{
    public static WebApplication UseStudioPipeline(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
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
        var api = app.MapGroup("/api/v1").RequireAuthorization();
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
        app.MapScalarApiReference(o => o.WithTitle("AutoML Studio API")).RequireAuthorization();
        app.MapHub<SearchHub>(SearchHub.Path).RequireAuthorization();
        app.MapHub<DatasetHub>(DatasetHub.Path).RequireAuthorization();
        app.MapAccountEndpoints();
        app.MapAdminJobsDashboard();

        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode().RequireAuthorization();
        return app;
    }
}
