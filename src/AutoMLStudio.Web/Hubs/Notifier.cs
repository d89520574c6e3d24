namespace AutoMLStudio.Web.Hubs;

/// <summary>
/// In-process events for Blazor components. Subscribers must unsubscribe in Dispose: a forgotten handler keeps a
/// dead circuit alive. A failing handler is logged and never disturbs the publisher or the other pages.
/// </summary>
public abstract class Notifier<TEvent>(ILogger logger)
{
    public event Func<TEvent, Task>? Changed;

    public void Publish(TEvent change)
    {
        var handlers = Changed;
        if (handlers is null) return;
        foreach (var handler in handlers.GetInvocationList().Cast<Func<TEvent, Task>>())
            _ = handler(change).ContinueWith(t => logger.LogWarning(t.Exception, "A page failed to handle {Event}", change),
                TaskContinuationOptions.OnlyOnFaulted);
    }
}

public sealed class SearchNotifier(ILogger<SearchNotifier> logger) : Notifier<Core.Searches.SearchEvent>(logger);

public sealed class DatasetNotifier(ILogger<DatasetNotifier> logger) : Notifier<Core.Datasets.DatasetEvent>(logger);
