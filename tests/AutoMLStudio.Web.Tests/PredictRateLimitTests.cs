using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace AutoMLStudio.Web.Tests;

/// <summary>The predict route's default per-key limit, on the real server, as a client that floods it sees it.</summary>
[Collection(StudioCollection.Name)]
public sealed class PredictRateLimitTests
{
    [Fact]
    public async Task By_default_a_burst_from_one_key_gets_429_with_retry_after_while_another_key_goes_on()
    {
        await using var app = new StudioApp { RequestsPerSecondPerKey = null };
        app.UseKestrel(0);
        app.StartServer();
        using var flooding = Client(app, StudioApp.AdminKey);
        var other = (await flooding.PostJsonAsync("/api/v1/apikeys", new { name = "another program" }, HttpStatusCode.Created)).GetProperty("key").GetString();
        using var calm = Client(app, other);
        // The limiter stands before the route, so an endpoint that does not exist shows it without a trained model:
        // an admitted request answers 404, a refused one 429.
        var url = $"/api/v1/endpoints/{Guid.NewGuid()}/predict";

        var burst = await Task.WhenAll(Enumerable.Range(0, 400).Select(_ => flooding.PostAsJsonAsync(url, new { instances = new[] { new { x = 1 } } })));
        var calmAnswer = await calm.PostAsJsonAsync(url, new { instances = new[] { new { x = 1 } } });

        Assert.All(burst, r => Assert.True(r.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.TooManyRequests, r.StatusCode.ToString()));
        var limited = burst.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.True(limited.Count > 0, "400 requests at once from one key were all admitted: the default limit is off in effect");
        Assert.True(burst.Count(r => r.StatusCode == HttpStatusCode.NotFound) >= 100, "the default should admit a burst of one second's worth (100)");
        Assert.True(int.Parse(limited[0].Headers.GetValues("Retry-After").Single()) >= 1);
        var problem = await limited[0].JsonAsync(HttpStatusCode.TooManyRequests);
        problem.AssertProblem(429, "Too many requests");
        Assert.Contains("Hosting:RequestsPerSecondPerKey", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, calmAnswer.StatusCode);
    }

    private static HttpClient Client(StudioApp app, string? key)
    {
        var client = app.CreateClient();
        Assert.True(client.BaseAddress is { IsLoopback: true, Port: not 80 }, $"not a real server: {client.BaseAddress}");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
