using System.Net;
using System.Net.Http.Json;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Identity;
using AutoMLStudio.Web.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoMLStudio.Web.Tests;

[Collection(StudioCollection.Name)]
public sealed class AuthorizationTests(StudioApp app)
{
    // Routes anyone may call. Everything else must carry an explicit authorization requirement, so a route added
    // later without one fails here instead of going live open.
    // Scalar's script and icon for the API reference page carry no data; the page and the document it shows need sign-in.
    private static readonly string[] PublicRoutes = ["/health", "/account/login", "/scalar/scalar.js", "/scalar/scalar.aspnetcore.js", "/scalar/favicon.svg"];

    [Fact]
    public void Every_endpoint_requires_authorization_unless_it_is_a_known_public_route()
    {
        _ = app.Server; // build the host so that every endpoint is mapped
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.True(endpoints.Count > 20, $"only {endpoints.Count} endpoints found");

        var problems = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var route = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var authorized = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any()
                             || endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>().Any();
            if (IsStaticAsset(endpoint)) continue;
            if (anonymous && !PublicRoutes.Contains(route, StringComparer.OrdinalIgnoreCase))
                problems.Add($"{route} allows anonymous access");
            else if (!anonymous && !authorized)
                problems.Add($"{route} ({endpoint.DisplayName}) has no authorization requirement");
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    // Static files (the framework's scripts, MudBlazor's CSS) carry no data; the sign-in page needs them signed out.
    private static bool IsStaticAsset(RouteEndpoint endpoint) =>
        endpoint.Metadata.Any(m => m.GetType().Name == "StaticAssetDescriptor")
        || endpoint.RoutePattern.RawText == "{**path:file}";

    [Theory]
    [InlineData("/api/v1/datasets")]
    [InlineData("/api/v1/searches")]
    [InlineData("/api/v1/models")]
    [InlineData("/api/v1/devices")]
    [InlineData("/openapi/v1.json")]
    public async Task Api_refuses_requests_without_a_key_or_with_a_wrong_one(string url)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Api(apiKey: null).GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Api("ams_not_a_real_key").GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Api().GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task Health_is_public_and_reports_the_database_and_job_server()
    {
        var response = await app.Api(apiKey: null).GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Pages_send_a_signed_out_visitor_to_the_sign_in_page()
    {
        var response = await app.Api(apiKey: null).GetAsync("/datasets");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location?.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, (await app.Api(apiKey: null).GetAsync("/account/login")).StatusCode);
    }

    [Fact]
    public async Task A_signed_in_viewer_opening_the_admin_page_is_told_they_have_no_access()
    {
        var email = $"viewer-{Guid.NewGuid():N}@test.local";
        await app.CreateUserAsync(StudioRoles.Viewer, email);
        var browser = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        var loginPage = await browser.GetStringAsync("/account/login");
        var token = System.Text.RegularExpressions.Regex.Match(loginPage, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var signIn = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email, ["password"] = StudioAppExtensions.Password, ["returnUrl"] = "/datasets", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal("/datasets", signIn.Headers.Location?.OriginalString);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/datasets")).StatusCode);
        var admin = await browser.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, admin.StatusCode);
        Assert.StartsWith("/account/denied", admin.Headers.Location?.PathAndQuery);
        Assert.Contains("No access", await browser.GetStringAsync("/account/denied"));
    }

    [Fact]
    public async Task Api_keys_are_shown_once_stored_hashed_and_stop_working_when_revoked()
    {
        var admin = app.Api();
        var created = await admin.PostJsonAsync("/api/v1/apikeys", new { name = "ci" }, HttpStatusCode.Created);
        var secret = created.GetProperty("key").GetString()!;
        var keyId = created.GetProperty("id").GetGuid();

        var listed = await admin.GetJsonAsync("/api/v1/apikeys");
        Assert.DoesNotContain(secret, listed.ToString());

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var row = await scope.ServiceProvider.GetRequiredService<StudioDbContext>().ApiKeys.SingleAsync(k => k.Id == keyId);
            Assert.Equal(ApiKeySecrets.Hash(secret), row.Hash);
            Assert.DoesNotContain(secret, row.Prefix + Convert.ToBase64String(row.Hash));
        }

        var client = app.Api(secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/datasets")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/apikeys/{keyId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/datasets")).StatusCode);
    }

    [Fact]
    public async Task A_viewer_may_look_but_not_upload_or_train()
    {
        var (viewerKey, _) = await app.CreateUserAsync(StudioRoles.Viewer);
        var viewer = app.Api(viewerKey);

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/datasets")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.UploadAsync(TestImages.ClassFolderZip(perClass: 3))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/v1/searches", new { datasetId = Guid.NewGuid() })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/v1/models", new { trialId = Guid.NewGuid(), name = "x" })).StatusCode);
    }
}
