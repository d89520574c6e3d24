using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AutoMLStudio.Web.Tests;

[Collection(StudioCollection.Name)]
public sealed class OpenApiTests(StudioApp app)
{
    [Fact]
    public async Task Every_api_route_is_in_the_openapi_description_with_a_summary()
    {
        var document = await app.Api().GetJsonAsync("/openapi/v1.json");
        var paths = document.GetProperty("paths");

        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(r => r.StartsWith("/api/v1", StringComparison.Ordinal))
            .Select(r => System.Text.RegularExpressions.Regex.Replace(r, @"\{(\w+):[^}]+\}", "{$1}").TrimEnd('/'))
            .Distinct().ToList();
        Assert.NotEmpty(routes);
        foreach (var route in routes)
        {
            Assert.True(paths.TryGetProperty(route, out var operations), $"{route} is missing from the OpenAPI description");
            Assert.All(operations.EnumerateObject(), op => Assert.True(op.Value.TryGetProperty("summary", out _), $"{op.Name} {route} has no summary"));
        }
    }

    [Fact]
    public async Task The_browsable_api_reference_is_served_to_signed_in_callers_only()
    {
        var page = await app.Api().GetAsync("/scalar/v1");
        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("AutoML Studio API", await page.Content.ReadAsStringAsync());

        var anonymous = await app.Api(apiKey: null).GetAsync("/scalar/v1");
        Assert.NotEqual(System.Net.HttpStatusCode.OK, anonymous.StatusCode);
    }
}
