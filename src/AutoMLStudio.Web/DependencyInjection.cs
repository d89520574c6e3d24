using System.Text.Json.Serialization;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Devices;
using AutoMLStudio.Core.Identity;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Web.Auth;
using AutoMLStudio.Web.Hubs;
using AutoMLStudio.Web.Jobs;
using Hangfire;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace AutoMLStudio.Web;

public static class DependencyInjection
{
    /// <summary>API key when the request carries one, else the sign-in cookie; named by policies and by the jobs dashboard's filter.</summary>
    public const string SmartScheme = "Studio";

    public static IHostApplicationBuilder AddStudioWeb(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var studio = builder.Configuration.GetSection(StudioOptions.Section).Get<StudioOptions>() ?? new StudioOptions();

        services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BootstrapOptions>, BootstrapOptionsValidator>();
        services.AddProblemDetails();
        // Malformed bodies and parameters throw in every environment, so the one exception handler words the answer.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));
        services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = studio.Import.MaxUploadBytes + 1024 * 1024);
        services.AddOpenApi();
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<JobServerHealthCheck>("jobs");

        AddIdentityAndAuth(services);
        AddJobs(services, studio);
        Api.PredictRateLimits.AddPredictRateLimits(services);
        if (StudioRoleConfiguration.Read(builder.Configuration) != StudioRole.Worker) services.AddHostedService<EndpointWarmup>();

        services.Replace(ServiceDescriptor.Singleton<IHttpContextFactory, HubTokenFromQuery>());
        services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase);
        services.AddSingleton<SearchNotifier>();
        services.AddSingleton<DatasetNotifier>();
        services.AddSingleton<EventFanout>();
        if (studio.UsesPostgres)
        {
            // Nodes sharing PostgreSQL hear each other's events, so a browser on the web node follows a worker's trial.
            services.AddSingleton<NodeEvents>();
            services.AddSingleton<ISearchEventPublisher>(sp => sp.GetRequiredService<NodeEvents>());
            services.AddSingleton<IDatasetEventPublisher>(sp => sp.GetRequiredService<NodeEvents>());
            if (StudioRoleConfiguration.Read(builder.Configuration) != StudioRole.Worker) services.AddHostedService<NodeEventListener>();
        }
        else
        {
            services.AddSingleton<ISearchEventPublisher>(sp => sp.GetRequiredService<EventFanout>());
            services.AddSingleton<IDatasetEventPublisher>(sp => sp.GetRequiredService<EventFanout>());
        }
        services.AddScoped<Components.Pages.Endpoints.EndpointTryOut>();
        services.AddScoped<BootstrapAdmin>();
        services.AddSingleton<Components.Pages.Labeling.LabelingData>();

        UseStaticWebAssetsOfABuild(builder);
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddMudServices();
        return builder;
    }

    /// <summary>
    /// ASP.NET Core reads the static web assets manifest (MudBlazor's CSS and JS, blazor.web.js) only in Development, so a
    /// build (not a publish) started in another environment, as the browser tests and <c>dotnet run -c Release</c> do, serves
    /// pages without styles or interactivity. Only a build output has the runtime manifest; a publish copies the files instead.
    /// </summary>
    private static void UseStaticWebAssetsOfABuild(IHostApplicationBuilder builder)
    {
        if (builder is not WebApplicationBuilder web || web.Environment.IsDevelopment()) return;
        var manifest = Path.Combine(AppContext.BaseDirectory, $"{web.Environment.ApplicationName}.staticwebassets.runtime.json");
        if (File.Exists(manifest)) web.WebHost.UseStaticWebAssets();
    }

    private static void AddIdentityAndAuth(IServiceCollection services)
    {
        services.AddIdentity<StudioUser, IdentityRole>(o =>
            {
                o.Password.RequiredLength = 8;
                o.Password.RequireNonAlphanumeric = false;
            })
            .AddEntityFrameworkStores<StudioDbContext>()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<StudioClaimsPrincipalFactory>();

        services.AddSignInLimits();

        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/denied";
            // API and hub callers get status codes, not a redirect to an HTML sign-in page.
            o.Events.OnRedirectToLogin = c => RedirectOrStatus(c, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = c => RedirectOrStatus(c, StatusCodes.Status403Forbidden);
        });

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = SmartScheme;
                o.DefaultChallengeScheme = SmartScheme;
            })
            .AddPolicyScheme(SmartScheme, "API key or cookie", o => o.ForwardDefaultSelector = c =>
                ApiKeyAuthenticationHandler.ReadSecret(c.Request) is not null ? ApiKeyAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        services.AddAuthorization(o =>
        {
            o.DefaultPolicy = new AuthorizationPolicyBuilder(SmartScheme).RequireAuthenticatedUser().Build();
            // Anything mapped without a policy still needs a signed-in user; the endpoint test also demands an explicit one.
            o.FallbackPolicy = o.DefaultPolicy;
            StudioPolicies.Add(o);
        });
    }

    private static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs") || path.StartsWithSegments("/openapi"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    private static void AddJobs(IServiceCollection services, StudioOptions studio)
    {
        // Jobs record their own failures in their rows; a retry only helps with a passing infrastructure fault
        // (a locked database, a lost connection), so a few quick ones, never Hangfire's ten over several hours.
        services.AddHangfire(c => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseStudioStorage(studio)
            .UseFilter(new AutomaticRetryAttribute { Attempts = 3, DelaysInSeconds = [2, 10, 30] }));
        services.AddSingleton<IBackgroundJobs, HangfireBackgroundJobs>();

        services.AddHangfireServer(o =>
        {
            o.ServerName = $"{studio.NodeName}:control";
            o.Queues = [HangfireBackgroundJobs.ControlQueue];
            o.WorkerCount = 2;
            o.SchedulePollingInterval = TimeSpan.FromSeconds(1); // trials waiting for a paused device look again within seconds
        });
        if (studio.Training.ServeDevices)
        {
            // One server per device, each with as many workers as the device has slots: one server over every queue
            // would let a busy GPU's trials take the CPU's workers. Devices are detected here, before the host starts,
            // because the number of servers must be known when they are registered (libtorch loads from the same folder
            // InitializeStudioAsync names).
            foreach (var device in NodeCompute.DeviceQueues(studio))
                services.AddHangfireServer(o =>
                {
                    o.ServerName = $"{studio.NodeName}:{device.Queue}";
                    o.Queues = [device.Queue];
                    o.WorkerCount = device.Slots;
                    o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
                });
            services.AddHostedService<DeviceHeartbeatService>();
        }
        services.AddHostedService<StartupReconciliation>();
        services.AddHostedService<StalledWorkSweep>();
    }

    /// <summary>Native libraries, database schema and the first admin, before the server takes requests.</summary>
    public static async Task InitializeStudioAsync(this WebApplication app)
    {
        var studio = app.Services.GetRequiredService<IOptions<StudioOptions>>().Value;
        app.Logger.LogInformation("TorchSharp ready: {Detail}", NodeCompute.LoadNative(studio));

        await app.MigrateDatabaseAsync();
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BootstrapAdmin>().RunAsync(CancellationToken.None);
    }

    /// <summary>Applies the migrations the database lacks and logs each change; all that --migrate-only does.</summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        foreach (var change in await app.Services.InitializeStudioDatabaseAsync())
            app.Logger.LogInformation("Database upgraded: {Change}", change);
    }
}
