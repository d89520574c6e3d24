using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace AutoMLStudio.Web.Tests;

/// <summary>
/// Another program follows a search live: Microsoft.AspNetCore.SignalR.Client over WebSockets against the real Kestrel
/// server, as DESIGN.md promises any client.
/// </summary>
[Collection(StudioCollection.Name)]
public sealed class OutsideHubClientTests
{
    private static readonly string[] EventNames = ["trialStarted", "epochCompleted", "trialCompleted", "searchCompleted"];

    [Fact]
    public async Task A_websocket_client_joined_to_a_search_receives_its_events_in_order_and_another_search_group_hears_nothing()
    {
        await using var app = new StudioApp();
        app.UseKestrel(0);
        app.StartServer();
        using var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StudioApp.AdminKey);
        Assert.True(api.BaseAddress is { IsLoopback: true, Port: not 80 }, $"not a real server: {api.BaseAddress}");

        await using var follower = Connect(api.BaseAddress!, StudioApp.AdminKey);
        await using var bystander = Connect(api.BaseAddress!, StudioApp.AdminKey);
        var heard = new List<(string Name, JsonElement Payload)>();
        var overheard = new List<string>();
        foreach (var name in EventNames)
        {
            follower.On<JsonElement>(name, payload => { lock (heard) heard.Add((name, payload)); });
            bystander.On<JsonElement>(name, _ => { lock (overheard) overheard.Add(name); });
        }
        await follower.StartAsync();
        await bystander.StartAsync();
        // WebSockets without negotiation: the connection could not have fallen back to another transport.
        Assert.Equal(HubConnectionState.Connected, follower.State);
        await bystander.InvokeAsync("JoinSearch", Guid.NewGuid());

        var dataset = await api.ImportAsync(TestImages.ClassFolderZip(perClass: 6), "followed");
        // The system is paused until the client has joined: two trials of 18 images can otherwise both finish on a busy
        // machine before the join reaches the hub, and the client would hear only the end.
        await api.PostJsonAsync("/api/v1/admin/pause", new { }, HttpStatusCode.OK);
        string searchId;
        try
        {
            var search = await api.PostJsonAsync("/api/v1/searches", new
            {
                datasetId = dataset.GetProperty("id").GetString(),
                budget = new { maxTrials = 2, maxMinutes = 5, maxEpochsPerTrial = 2 },
                seed = 3,
            }, HttpStatusCode.Created);
            searchId = search.GetProperty("id").GetString()!;
            await follower.InvokeAsync("JoinSearch", Guid.Parse(searchId));
        }
        finally
        {
            await api.PostJsonAsync("/api/v1/admin/resume", new { }, HttpStatusCode.OK);
        }
        await api.WaitForSearchEndAsync(searchId);
        await StudioAppExtensions.WaitUntilAsync(() => { lock (heard) return heard.Any(e => e.Name == "searchCompleted"); }, "searchCompleted");

        lock (heard)
        {
            Assert.All(heard, e => Assert.Equal(searchId, e.Payload.GetProperty("searchId").GetString()));
            Assert.Equal("searchCompleted", heard[^1].Name);
            Assert.Equal("completed", heard[^1].Payload.GetProperty("status").GetString());
            // Trials run one at a time with a seed, so each trial's events arrive in the order they happened.
            var followed = heard.Where(e => e.Name == "trialStarted").Select(e => e.Payload.GetProperty("number").GetInt32()).ToList();
            Assert.Equal([1, 2], followed);
            foreach (var number in followed)
            {
                var own = heard.Where(e => e.Name != "searchCompleted" && e.Payload.GetProperty("number").GetInt32() == number).ToList();
                var epochs = own.Where(e => e.Name == "epochCompleted").Select(e => e.Payload.GetProperty("epoch").GetInt32()).ToList();
                Assert.Equal([1, 2], epochs);
                Assert.Equal("trialCompleted", own[^1].Name);
                Assert.Equal("completed", own[^1].Payload.GetProperty("status").GetString());
                Assert.All(own.Where(e => e.Name == "epochCompleted"), e => Assert.InRange(e.Payload.GetProperty("valMetric").GetDouble(), 0, 1));
            }
        }
        lock (overheard) Assert.Empty(overheard);
    }

    [Fact]
    public async Task A_client_without_an_api_key_is_refused()
    {
        await using var app = new StudioApp();
        app.UseKestrel(0);
        app.StartServer();
        using var api = app.CreateClient();

        await using var stranger = Connect(api.BaseAddress!, key: null);
        var refused = await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() => stranger.StartAsync());

        Assert.Contains("401", refused.Message);
    }

    private static HubConnection Connect(Uri server, string? key) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(server, "/hubs/searches"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                if (key is not null) o.Headers["Authorization"] = "Bearer " + key;
            })
            .Build();
}
