using System.Collections.Concurrent;

namespace AutoMLStudio.Core.Searches;

/// <summary>
/// Searches whose end (final retrain and test evaluation) runs in this process now. Two search steps can reach the end
/// together (every finished trial queues one, and a job can be delivered twice); the second leaves it to the first
/// instead of retraining into the same folder, which made one read the other's half-written checkpoints.
/// </summary>
public sealed class FinishingSearches
{
    private readonly ConcurrentDictionary<Guid, byte> _running = new();

    public bool TryStart(Guid searchId) => _running.TryAdd(searchId, 0);

    public void Done(Guid searchId) => _running.TryRemove(searchId, out _);
}
