using System.Net;
using System.Net.Http.Headers;

namespace AutoMLStudio.Web.Tests;

/// <summary>
/// Kestrel enforces request size limits that the in-process test server skips, and left alone it can surface them
/// as a 500: these run against the real server on a loopback port.
/// </summary>
[Collection(StudioCollection.Name)]
public sealed class RealServerLimitTests
{
    [Fact]
    public async Task Upload_over_the_limit_gets_413_problem_from_the_real_server_and_leaves_nothing()
    {
        await using var app = new StudioApp { MaxUploadBytes = 1024 * 1024 };
        app.UseKestrel(0);
        app.StartServer();
        using var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StudioApp.AdminKey);
        Assert.True(api.BaseAddress is { IsLoopback: true, Port: not 80 }, $"not a real server: {api.BaseAddress}");

        var zip = TestImages.ClassFolderZip(perClass: 3);
        var tooBig = new byte[3 * 1024 * 1024];
        zip.CopyTo(tooBig, 0);
        var response = await api.UploadAsync(tooBig, "big.zip", "too big");

        var problem = await response.JsonAsync(HttpStatusCode.RequestEntityTooLarge);
        problem.AssertProblem(413, "too large");
        Assert.Contains("MB", problem.GetProperty("detail").GetString());
        var datasets = await api.GetJsonAsync("/api/v1/datasets");
        Assert.Equal(0, datasets.GetArrayLength());
        var uploads = Path.Combine(app.DataDir, "artifacts", "uploads");
        Assert.True(!Directory.Exists(uploads) || Directory.GetFiles(uploads).Length == 0);

        var fits = await api.UploadAsync(zip, "small.zip", "fits");
        Assert.Equal(HttpStatusCode.Accepted, fits.StatusCode);
    }
}
