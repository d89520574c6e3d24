using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Identity;
using AutoMLStudio.Web.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace AutoMLStudio.Web.Tests;

public static class StudioAppExtensions
{
    public const string Password = "Someone-Passw0rd";

    /// <summary>A new user in <paramref name="role"/> (password <see cref="Password"/>) with an API key.</summary>
    public static async Task<(string Key, string UserId)> CreateUserAsync(this StudioApp app, string role, string? email = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StudioUser>>();
        email ??= $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@test.local";
        var user = new StudioUser { UserName = email, Email = email };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        var secret = ApiKeySecrets.NewSecret();
        await CreateApiKey.AddAsync(scope.ServiceProvider.GetRequiredService<StudioDbContext>(), user.Id, "test", secret, CancellationToken.None);
        return (secret, user.Id);
    }

    /// <summary>A SignalR client on one of the studio's hubs, signed in with an API key.</summary>
    public static async Task<HubConnection> ConnectHubAsync(this StudioApp app, string path, string key = StudioApp.AdminKey)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(app.Server.BaseAddress, path), o =>
            {
                o.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
                o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.LongPolling;
                o.Headers["Authorization"] = "Bearer " + key;
            })
            .Build();
        await connection.StartAsync();
        return connection;
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what} did not happen within {seconds} s.");
            await Task.Delay(100);
        }
    }
}
