using System.Net;
using System.Text.RegularExpressions;

namespace AutoMLStudio.Web.Tests;

/// <summary>The studio's own styles, scripts and icon live in the top-level wwwroot-assets folder and are served at their usual URLs.</summary>
[Collection(StudioCollection.Name)]
public sealed class FrontEndAssetsTests
{
    [Theory]
    [InlineData("/app.css", "text/css", ".tile-row")]
    [InlineData("/js/chart-png.js", "text/javascript", "export")]
    [InlineData("/js/labeling-keys.js", "text/javascript", "export")]
    [InlineData("/js/scalar-no-eval.js", "text/javascript", "")]
    [InlineData("/favicon.svg", "image/svg+xml", "<svg")]
    public async Task The_studios_own_assets_are_served_from_the_top_level_folder(string url, string mediaType, string content)
    {
        await using var app = new StudioApp();
        app.UseKestrel(0);
        app.StartServer();
        using var client = app.CreateClient();

        var answer = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(mediaType, answer.Content.Headers.ContentType?.MediaType);
        var text = await answer.Content.ReadAsStringAsync();
        Assert.Contains(content, text);
        var source = Path.Combine(RepositoryRoot(), "wwwroot-assets", url.TrimStart('/'));
        Assert.Equal(await File.ReadAllTextAsync(source), text);
    }

    [Fact]
    public async Task Pages_link_the_fingerprinted_stylesheet_and_the_favicon()
    {
        await using var app = new StudioApp();
        app.UseKestrel(0);
        app.StartServer();
        using var client = app.CreateClient();

        var html = await (await client.GetAsync("/account/login")).Content.ReadAsStringAsync();

        // MapStaticAssets fingerprints what @Assets names, so a new release's styles are never taken from a stale cache.
        var css = Regex.Match(html, "href=\"(app\\.[a-z0-9]+\\.css)\"").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(css), html);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/" + css)).StatusCode);
        var icon = Regex.Match(html, "<link rel=\"icon\"[^>]*href=\"([^\"]+)\"").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(icon), html);
        Assert.Equal("image/svg+xml", (await client.GetAsync("/" + icon.TrimStart('/'))).Content.Headers.ContentType?.MediaType);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "AutoMLStudio.sln"))) return folder.FullName;
        throw new DirectoryNotFoundException("AutoMLStudio.sln not found above " + AppContext.BaseDirectory);
    }
}
