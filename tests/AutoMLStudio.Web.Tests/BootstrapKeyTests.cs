using Microsoft.AspNetCore.Hosting;

namespace AutoMLStudio.Web.Tests;

[Collection(StudioCollection.Name)]
public sealed class BootstrapKeyTests
{
    [Fact]
    public async Task A_short_bootstrap_api_key_stops_the_start_and_says_how_long_a_key_must_be_and_how_to_make_one()
    {
        await using var studio = new StudioApp();
        await using var shortKey = studio.WithWebHostBuilder(b => b.UseSetting("Studio:Bootstrap:ApiKey", "ams_guessable"));

        var error = Record.Exception(() => shortKey.Server);

        Assert.NotNull(error);
        var messages = string.Join("\n", Chain(error));
        Assert.Contains("Studio:Bootstrap:ApiKey is 13 characters long", messages);
        Assert.Contains("at least 24", messages);
        Assert.Contains("openssl rand -hex 32", messages);
    }

    [Fact]
    public async Task The_published_development_key_is_long_enough_to_start()
    {
        await using var studio = new StudioApp();
        await using var dev = studio.WithWebHostBuilder(b => b.UseSetting("Studio:Bootstrap:ApiKey", DevelopmentDefaults.Read().ApiKey));

        using var api = dev.CreateClient();
        api.DefaultRequestHeaders.Authorization = new("Bearer", DevelopmentDefaults.Read().ApiKey);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await api.GetAsync("/api/v1/datasets")).StatusCode);
    }

    private static IEnumerable<string> Chain(Exception? error)
    {
        for (; error is not null; error = error.InnerException) yield return error.Message;
    }
}
