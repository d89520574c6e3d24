using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Searches;
using Microsoft.AspNetCore.SignalR;

namespace AutoMLStudio.Web.Hubs;

/// <summary>
/// Pushes each event to its SignalR group (outside clients, browsers) and to the Blazor circuits of this process.
/// A failed push is logged, never thrown: the change is already in the database.
/// </summary>
public sealed class EventFanout(
    IHubContext<SearchHub> searchHub, IHubContext<DatasetHub> datasetHub, SearchNotifier searches, DatasetNotifier datasets,
    ILogger<EventFanout> logger) : ISearchEventPublisher, IDatasetEventPublisher
{
    public Task PublishAsync(SearchEvent searchEvent) =>
        SendAsync(searchHub.Clients.Group(SearchHub.Group(searchEvent.SearchId)), searchEvent.Name, searchEvent, () => searches.Publish(searchEvent));

    public Task PublishAsync(DatasetEvent datasetEvent) =>
        SendAsync(datasetHub.Clients.Group(DatasetHub.Group(datasetEvent.DatasetId)), datasetEvent.Name, datasetEvent, () => datasets.Publish(datasetEvent));

    private async Task SendAsync(IClientProxy group, string name, object payload, Action publishLocally)
    {
        try
        {
            await group.SendAsync(name, payload);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not push {Event} to the hub", name);
        }
        publishLocally();
    }
}
