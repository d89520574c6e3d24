using System.Net.Http.Headers;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Identity;
using AutoMLStudio.Web.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AutoMLStudio.Web.Tests;

/// <summary>
/// The whole studio in-process on its embedded defaults: real SQLite file, real Hangfire (in-memory queue),
/// real TorchSharp. Each instance gets its own data folder unless one is given (to restart on the same data).
/// </summary>
public sealed class StudioApp : WebApplicationFactory<Program>
{
    public const string AdminKey = "ams_test_admin_key_0123456789abcdef";
    public const string AdminEmail = "admin@test.local";
    public const string AdminPassword = "Test-Passw0rd";

    private readonly bool _ownsDataDir;

    public StudioApp()
    {
        DataDir = Path.Combine(Path.GetTempPath(), "amls-test-" + Guid.NewGuid().ToString("N")[..12]);
        _ownsDataDir = true;
    }

    /// <summary>A studio on an existing data folder, as after a restart; the caller deletes the folder.</summary>
    public static StudioApp On(string dataDir) => new(dataDir);

    private StudioApp(string dataDir) => DataDir = dataDir;

    public string DataDir { get; }

    public long MaxUploadBytes { get; init; } = 20 * 1024 * 1024;

    /// <summary>
    /// Hosting:RequestsPerSecondPerKey. Tests that predict in a loop with the admin key would meet the production
    /// default, so it is lifted here; null keeps the default, for the tests of the default itself.
    /// </summary>
    public int? RequestsPerSecondPerKey { get; init; } = 1_000_000;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Studio:DataDir", DataDir);
        builder.UseSetting("Studio:Bootstrap:ApiKey", AdminKey);
        builder.UseSetting("Studio:Bootstrap:AdminEmail", AdminEmail);
        builder.UseSetting("Studio:Bootstrap:AdminPassword", AdminPassword);
        builder.UseSetting("Studio:Import:MaxUploadBytes", MaxUploadBytes.ToString());
        builder.UseSetting("Studio:Import:ServerFolders:0", ServerFolderRoot);
        // Every prediction short of certainty joins the low-confidence queue, so tests see the queue fill.
        builder.UseSetting("Hosting:LowConfidence", "1");
        if (RequestsPerSecondPerKey is { } perSecond) builder.UseSetting("Hosting:RequestsPerSecondPerKey", perSecond.ToString());
        // Every in-process request comes from no address, so all tests would share one sign-in limit; the tests of the
        // limit set their own.
        builder.UseSetting("Studio:SignIn:AttemptsPerAddress", "1000");
        // Tests that leave work stalled on purpose run the sweep themselves, when the state is set up.
        builder.UseSetting("Studio:Training:StallCheckSeconds", "3600");
    }

    /// <summary>The one folder admins may import from in tests (Studio:Import:ServerFolders).</summary>
    public string ServerFolderRoot => Path.Combine(DataDir, "server-folders");

    public HttpClient Api(string? apiKey = AdminKey)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (apiKey is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDataDir && Directory.Exists(DataDir)) Directory.Delete(DataDir, recursive: true);
    }
}

/// <summary>One studio for the tests that share it: Hangfire keeps some configuration in statics, so apps run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class StudioCollection : ICollectionFixture<StudioApp>
{
    public const string Name = "studio";
}
