using System.Collections.Concurrent;

namespace AutoMLStudio.Core.Searches;

/// <summary>
/// Trials training in this process, so a cancel or pause stops them between two batches instead of at the next
/// epoch. Other nodes notice the search's status at the end of each epoch.
/// </summary>
public sealed class RunningTrials
{
    private readonly ConcurrentDictionary<Guid, (Guid SearchId, string Queue, CancellationTokenSource Stop)> _running = new();

    public CancellationTokenSource Register(Guid trialId, Guid searchId, string queue, CancellationToken jobToken)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(jobToken);
        _running[trialId] = (searchId, queue, stop);
        return stop;
    }

    public void Unregister(Guid trialId)
    {
        if (_running.TryRemove(trialId, out var entry)) entry.Stop.Dispose();
    }

    public void StopSearch(Guid searchId)
    {
        foreach (var (_, entry) in _running.Where(r => r.Value.SearchId == searchId)) Stop(entry.Stop);
    }

    public void StopTrial(Guid trialId)
    {
        if (_running.TryGetValue(trialId, out var entry)) Stop(entry.Stop);
    }

    public int Count => _running.Count;

    public int CountOn(string queue) => _running.Count(r => r.Value.Queue == queue);

    private static void Stop(CancellationTokenSource stop)
    {
        try { stop.Cancel(); }
        catch (ObjectDisposedException) { } // finished meanwhile
    }
}
