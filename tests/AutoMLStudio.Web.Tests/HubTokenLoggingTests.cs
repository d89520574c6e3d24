using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;

namespace AutoMLStudio.Web.Tests;

/// <summary>
/// Browsers cannot set headers on a WebSocket, so SignalR clients send the API key as <c>?access_token=</c>; a request
/// log line that prints the query would put a working key into every log file and log shipper.
/// </summary>
[Collection(StudioCollection.Name)]
public sealed class HubTokenLoggingTests
{
    [Fact]
    public async Task A_hub_key_sent_in_the_query_reaches_no_log_at_any_level_and_requests_are_still_logged()
    {
        var logs = new LogCapture();
        await using var studio = new StudioApp();
        await using var server = studio.WithWebHostBuilder(b => b.ConfigureLogging(logs.AddTo));
        server.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        server.StartServer();
        var baseAddress = server.CreateClient().BaseAddress!;

        foreach (var transport in new[] { HttpTransportType.WebSockets, HttpTransportType.LongPolling, HttpTransportType.ServerSentEvents })
        {
            var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(baseAddress, $"/hubs/searches?access_token={Uri.EscapeDataString(StudioApp.AdminKey)}"), transport)
                .Build();
            await hub.StartAsync();
            await hub.InvokeAsync("JoinSearch", Guid.NewGuid());
            await hub.DisposeAsync();
        }
        var wrongKey = "ams_not_a_key_" + Guid.NewGuid().ToString("N");
        var unauthorised = await server.CreateClient().PostAsync($"/hubs/searches/negotiate?negotiateVersion=1&access_token={wrongKey}", null);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, unauthorised.StatusCode);

        var entries = logs.Entries;
        var leaks = entries.Where(e => e.All.Contains(StudioApp.AdminKey, StringComparison.Ordinal) || e.All.Contains(wrongKey, StringComparison.Ordinal)).ToList();
        Assert.True(leaks.Count == 0, "the key reached the logs:\n" + string.Join("\n", leaks.Select(e => $"{e.Level} {e.Category}: {e.Message}")));
        // Request logging still says which hub was called, and how.
        Assert.Contains(entries, e => e is { Level: LogLevel.Information, Category: "Microsoft.AspNetCore.Hosting.Diagnostics" }
                                      && e.Message.Contains("/hubs/searches/negotiate", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Category == "Microsoft.AspNetCore.Hosting.Diagnostics" && e.Message.Contains("GET", StringComparison.Ordinal)
                                      && e.Message.Contains("/hubs/searches?id=", StringComparison.Ordinal));
    }
}
