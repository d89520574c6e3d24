using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace AutoMLStudio.Web.Tests;

/// <summary>Every kind of answer the real server gives carries the headers that stop framing, sniffing and injected scripts.</summary>
[Collection(StudioCollection.Name)]
public sealed class SecurityHeadersTests
{
    [Fact]
    public async Task Api_answers_pages_static_files_and_problems_all_carry_the_security_headers()
    {
        await using var app = new StudioApp();
        app.UseKestrel(0);
        app.StartServer();
        using var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StudioApp.AdminKey);

        var json = await api.GetAsync("/api/v1/datasets");
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        AssertHardened(json);

        var problem = await api.GetAsync($"/api/v1/datasets/{Guid.NewGuid()}");
        Assert.Equal("application/problem+json", problem.Content.Headers.ContentType?.MediaType);
        (await problem.JsonAsync(HttpStatusCode.NotFound)).AssertProblem(404, "not found");
        AssertHardened(problem);

        var css = await api.GetAsync("/app.css");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        AssertHardened(css);

        // The page's one inline script (the import map) runs because it carries this response's nonce; nothing else inline can.
        var page = await api.GetAsync("/account/login");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var policy = AssertHardened(page);
        var nonce = Regex.Match(policy, "'nonce-([^']+)'").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(nonce), policy);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains($"<script type=\"importmap\" nonce=\"{nonce}\"", html);
        var second = AssertHardened(await api.GetAsync("/account/login"));
        Assert.DoesNotContain(nonce, second);

        // The API reference loads its script from the studio, its inline start-up by nonce, and no font from a CDN.
        var docs = await api.GetAsync("/scalar/v1");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        var docsNonce = Regex.Match(AssertHardened(docs), "'nonce-([^']+)'").Groups[1].Value;
        var docsHtml = await docs.Content.ReadAsStringAsync();
        var inline = Regex.Matches(docsHtml, "<script[^>]*>").Select(m => m.Value).Where(s => !s.Contains("src=")).ToList();
        Assert.NotEmpty(inline);
        Assert.All(inline, s => Assert.Contains($"nonce=\"{docsNonce}\"", s));
        Assert.DoesNotContain("http://", docsHtml.Replace("http://www.w3.org", ""));
        Assert.DoesNotContain("https://", docsHtml);
        Assert.Matches("\"withDefaultFonts\"\\s*:\\s*false", docsHtml);
    }

    /// <summary>Asserts the headers and returns the Content-Security-Policy.</summary>
    private static string AssertHardened(HttpResponseMessage response)
    {
        var path = response.RequestMessage?.RequestUri?.PathAndQuery;
        Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var sniff), $"{path}: no X-Content-Type-Options");
        Assert.Equal("nosniff", Assert.Single(sniff));
        Assert.True(response.Headers.TryGetValues("X-Frame-Options", out var frame), $"{path}: no X-Frame-Options");
        Assert.Equal("DENY", Assert.Single(frame));
        Assert.True(response.Headers.TryGetValues("Referrer-Policy", out var referrer), $"{path}: no Referrer-Policy");
        Assert.Equal("same-origin", Assert.Single(referrer));
        Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var csp), $"{path}: no Content-Security-Policy");
        var policy = Assert.Single(csp);
        Assert.True(policy.Contains("frame-ancestors 'none'"), $"{path}: {policy}");
        var directives = policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ').Skip(1).ToList());
        Assert.Equal(["'none'"], directives["frame-ancestors"]);
        Assert.Equal(["'self'"], directives["default-src"]);
        Assert.Equal(["'none'"], directives["object-src"]);
        Assert.Contains("'self'", directives["script-src"]);
        Assert.DoesNotContain("'unsafe-inline'", directives["script-src"]);
        Assert.DoesNotContain("'unsafe-eval'", directives["script-src"]);
        Assert.All(directives.Values.SelectMany(v => v), source => Assert.DoesNotContain("*", source));
        return policy;
    }
}
