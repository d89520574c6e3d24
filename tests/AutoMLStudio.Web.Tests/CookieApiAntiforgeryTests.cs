using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AutoMLStudio.Core.Data;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoMLStudio.Web.Tests;

/// <summary>
/// A page's script (or another site's form) rides on the browser's sign-in cookie; programs send an API key, which
/// browsers never attach by themselves. So a change made with the cookie alone must also carry the antiforgery token.
/// </summary>
[Collection(StudioCollection.Name)]
public sealed class CookieApiAntiforgeryTests(StudioApp app)
{
    [Fact]
    public async Task A_cookie_without_a_token_cannot_create_an_api_key_but_a_key_or_the_token_can()
    {
        var browser = await SignedInBrowserAsync();

        var refused = await browser.PostAsJsonAsync("/api/v1/apikeys", new { name = "by-cookie-only" });
        var problem = await refused.JsonAsync(HttpStatusCode.Forbidden);
        problem.AssertProblem(403, "antiforgery");
        Assert.Contains("API key", problem.GetProperty("detail").GetString());
        Assert.Equal(0, await KeysNamedAsync("by-cookie-only"));

        (await app.Api().PostJsonAsync("/api/v1/apikeys", new { name = "by-bearer" }, HttpStatusCode.Created)).GetProperty("key");
        Assert.Equal(1, await KeysNamedAsync("by-bearer"));

        using var withToken = new HttpRequestMessage(HttpMethod.Post, "/api/v1/apikeys") { Content = JsonContent.Create(new { name = "by-cookie-and-token" }) };
        withToken.Headers.Add("RequestVerificationToken", await TokenAsync(browser));
        Assert.Equal(HttpStatusCode.Created, (await browser.SendAsync(withToken)).StatusCode);
        Assert.Equal(1, await KeysNamedAsync("by-cookie-and-token"));

        // Reading stays open to the cookie: the pages link to downloads and CSVs.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/apikeys")).StatusCode);
    }

    [Fact]
    public async Task A_cookie_only_multipart_upload_is_refused_and_stores_nothing()
    {
        var browser = await SignedInBrowserAsync();
        var zip = TestImages.ClassFolderZip(perClass: 3);

        var refused = await browser.UploadAsync(zip, "shapes.zip", "cookie-only upload");
        (await refused.JsonAsync(HttpStatusCode.Forbidden)).AssertProblem(403, "antiforgery");
        Assert.Equal(0, await DatasetsNamedAsync("cookie-only upload"));

        var byKey = await app.Api().UploadAsync(zip, "shapes.zip", "bearer upload");
        Assert.Equal(HttpStatusCode.Accepted, byKey.StatusCode);
        Assert.Equal(1, await DatasetsNamedAsync("bearer upload"));

        // A browser form sends the token as a form field rather than a header.
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(zip), "file", "shapes.zip" },
            { new StringContent("cookie and token upload"), "name" },
            { new StringContent(await TokenAsync(browser)), "__RequestVerificationToken" },
        };
        Assert.Equal(HttpStatusCode.Accepted, (await browser.PostAsync("/api/v1/datasets", form)).StatusCode);
        Assert.Equal(1, await DatasetsNamedAsync("cookie and token upload"));
    }

    /// <summary>A client holding only the cookie the sign-in form sets, as a browser tab would.</summary>
    private async Task<HttpClient> SignedInBrowserAsync()
    {
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var signIn = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = StudioApp.AdminEmail, ["password"] = StudioApp.AdminPassword, ["returnUrl"] = "/",
            ["__RequestVerificationToken"] = await TokenAsync(browser, "/account/login"),
        }));
        Assert.Equal("/", signIn.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/datasets")).StatusCode);
        Assert.Null(browser.DefaultRequestHeaders.Authorization);
        return browser;
    }

    /// <summary>The antiforgery token a page gives the signed-in (or signed-out) browser.</summary>
    private static async Task<string> TokenAsync(HttpClient browser, string page = "/datasets")
    {
        var html = await browser.GetStringAsync(page);
        var token = Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(token), $"{page} has no antiforgery token");
        return token;
    }

    private async Task<int> KeysNamedAsync(string name)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<StudioDbContext>().ApiKeys.CountAsync(k => k.Name == name);
    }

    private async Task<int> DatasetsNamedAsync(string name)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<StudioDbContext>().Datasets.CountAsync(d => d.Name == name);
    }
}
