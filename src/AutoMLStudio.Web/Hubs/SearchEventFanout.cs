using AutoMLStudio.Core.Searches;
using Microsoft.AspNetCore.SignalR;

namespace AutoMLStudio.Web.Hubs;

/// <summary>
/// Pushes each search event to the search's SignalR group (outside clients, browsers) and to the Blazor circuits of
/// this process. A failed push is logged, never thrown: the event is already in the database.
/// </summary>
public sealed class SearchEventFanout(IHubContext<SearchHub> hub, SearchNotifier notifier, ILogger<SearchEventFanout> logger)
    : ISearchEventPublisher
{
    public async Task PublishAsync(SearchEvent searchEvent)
    {
        try
        {
            await hub.Clients.Group(SearchHub.Group(searchEvent.SearchId)).SendAsync(searchEvent.Name, (object)searchEvent);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not push {Event} of search {SearchId} to the hub", searchEvent.Name, searchEvent.SearchId);
        }
        notifier.Publish(searchEvent);
    }
}

/// <summary>In-process event for Blazor components; subscribers must unsubscribe in Dispose.</summary>
public sealed class SearchNotifier(ILogger<SearchNotifier> logger)
{
    public event Func<SearchEvent, Task>? Changed;

    public void Publish(SearchEvent searchEvent)
    {
        var handlers = Changed;
        if (handlers is null) return;
        foreach (var handler in handlers.GetInvocationList().Cast<Func<SearchEvent, Task>>())
        {
            _ = handler(searchEvent).ContinueWith(t => logger.LogWarning(t.Exception, "A page failed to handle {Event}", searchEvent.Name),
                TaskContinuationOptions.OnlyOnFaulted);
        }
    }
}
