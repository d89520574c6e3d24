using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace AutoMLStudio.Web.Hubs;

/// <summary>A client joins a dataset's group and receives <c>labelsChanged</c> as anyone labels it.</summary>
[Authorize]
public sealed class DatasetHub : Hub
{
    public const string Path = "/hubs/datasets";

    public static string Group(Guid datasetId) => $"dataset:{datasetId:N}";

    public Task JoinDataset(Guid datasetId) => Groups.AddToGroupAsync(Context.ConnectionId, Group(datasetId));

    public Task LeaveDataset(Guid datasetId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, Group(datasetId));
}
