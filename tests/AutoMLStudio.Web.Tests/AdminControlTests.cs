using System.Net;
using AutoMLStudio.Core.Identity;

namespace AutoMLStudio.Web.Tests;

[Collection(StudioCollection.Name)]
public sealed class AdminControlTests(StudioApp app)
{
    [Fact]
    public async Task Admin_jobs_dashboard_is_served_to_admins_only()
    {
        var page = await app.Api().GetAsync("/admin/jobs");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("AutoML Studio jobs", await page.Content.ReadAsStringAsync());

        var (expert, _) = await app.CreateUserAsync(StudioRoles.Expert);
        var (viewer, _) = await app.CreateUserAsync(StudioRoles.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(expert).GetAsync("/admin/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(viewer).GetAsync("/admin/jobs/jobs/enqueued")).StatusCode);

        var signedOut = await app.Api(apiKey: null).GetAsync("/admin/jobs");
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.StartsWith("/account/login", signedOut.Headers.Location?.PathAndQuery);
    }
}
