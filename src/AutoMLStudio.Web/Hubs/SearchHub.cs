using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace AutoMLStudio.Web.Hubs;

/// <summary>
/// Public hub: a client joins a search's group and receives <c>trialStarted</c>, <c>epochCompleted</c>,
/// <c>trialCompleted</c> and <c>searchCompleted</c>.
/// </summary>
[Authorize]
public sealed class SearchHub : Hub
{
    public const string Path = "/hubs/searches";

    public static string Group(Guid searchId) => $"search:{searchId:N}";

    public Task JoinSearch(Guid searchId) => Groups.AddToGroupAsync(Context.ConnectionId, Group(searchId));

    public Task LeaveSearch(Guid searchId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, Group(searchId));
}
