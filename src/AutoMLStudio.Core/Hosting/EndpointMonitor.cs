using System.Collections.Concurrent;

namespace AutoMLStudio.Core.Hosting;

/// <summary>One minute of an endpoint's traffic.</summary>
public sealed record MinuteStats(DateTimeOffset Minute, long Requests, long Errors, long Predictions, double? P50Ms, double? P95Ms, double? P99Ms,
    IReadOnlyDictionary<string, long> Classes);

/// <summary>An input the model was unsure of, kept so a person can label it.</summary>
/// <param name="Image">The image as sent, for image models.</param>
/// <param name="Instance">The instance's JSON, for tabular and text models.</param>
public sealed record LowConfidenceInput(Guid Id, DateTimeOffset At, string Label, double Score, string Name, byte[]? Image, string? Instance);

/// <summary>
/// Per-endpoint request counts, errors, latency percentiles and predicted classes, per minute for the last day, kept
/// in memory by the process that serves the endpoint (a restart starts them afresh), plus the latest low-confidence inputs.
/// Recording takes one short lock per request on the endpoint's own statistics.
/// </summary>
public sealed class EndpointMonitor(TimeProvider clock)
{
    public const int KeptMinutes = 24 * 60;
    public const int KeptLowConfidence = 200;

    private readonly ConcurrentDictionary<Guid, EndpointStats> _endpoints = new();

    public void Record(Guid endpointId, double milliseconds, bool succeeded, IReadOnlyList<Prediction>? predictions = null)
    {
        var stats = _endpoints.GetOrAdd(endpointId, _ => new EndpointStats());
        var minute = clock.GetUtcNow().ToUnixTimeSeconds() / 60;
        lock (stats)
        {
            if (!stats.Minutes.TryGetValue(minute, out var bucket))
            {
                bucket = new Bucket();
                stats.Minutes[minute] = bucket;
                foreach (var old in stats.Minutes.Keys.Where(k => k <= minute - KeptMinutes).ToList()) stats.Minutes.Remove(old);
            }
            bucket.Requests++;
            if (!succeeded) bucket.Errors++;
            bucket.Latency.Add(milliseconds);
            if (predictions is null) return;
            foreach (var prediction in predictions)
            {
                bucket.Predictions++;
                if (prediction.Label is { } label) bucket.Classes[label] = bucket.Classes.GetValueOrDefault(label) + 1;
            }
        }
    }

    public void RecordLowConfidence(Guid endpointId, LowConfidenceInput input)
    {
        var stats = _endpoints.GetOrAdd(endpointId, _ => new EndpointStats());
        lock (stats)
        {
            stats.LowConfidence.AddFirst(input);
            if (stats.LowConfidence.Count > KeptLowConfidence) stats.LowConfidence.RemoveLast();
        }
    }

    public IReadOnlyList<LowConfidenceInput> LowConfidence(Guid endpointId)
    {
        if (!_endpoints.TryGetValue(endpointId, out var stats)) return [];
        lock (stats) return [.. stats.LowConfidence];
    }

    /// <summary>Takes inputs out of the queue (they were sent to a dataset or dismissed); returns those found.</summary>
    public IReadOnlyList<LowConfidenceInput> TakeLowConfidence(Guid endpointId, IReadOnlyCollection<Guid> ids)
    {
        if (!_endpoints.TryGetValue(endpointId, out var stats)) return [];
        lock (stats)
        {
            var taken = stats.LowConfidence.Where(i => ids.Contains(i.Id)).ToList();
            foreach (var input in taken) stats.LowConfidence.Remove(input);
            return taken;
        }
    }

    /// <summary>The last <paramref name="minutes"/> minutes, oldest first, with empty minutes included.</summary>
    public IReadOnlyList<MinuteStats> Minutes(Guid endpointId, int minutes)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds() / 60;
        var result = new List<MinuteStats>(minutes);
        _endpoints.TryGetValue(endpointId, out var stats);
        for (var minute = now - minutes + 1; minute <= now; minute++)
        {
            var at = DateTimeOffset.FromUnixTimeSeconds(minute * 60);
            Bucket? bucket = null;
            if (stats is not null) lock (stats) stats.Minutes.TryGetValue(minute, out bucket);
            result.Add(bucket is null
                ? new MinuteStats(at, 0, 0, 0, null, null, null, new Dictionary<string, long>())
                : Snapshot(at, bucket, stats!));
        }
        return result;
    }

    /// <summary>Totals over the last <paramref name="minutes"/> minutes.</summary>
    public MinuteStats Total(Guid endpointId, int minutes)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds() / 60;
        var sum = new Bucket();
        if (_endpoints.TryGetValue(endpointId, out var stats))
        {
            lock (stats)
            {
                foreach (var (minute, bucket) in stats.Minutes)
                {
                    if (minute <= now - minutes) continue;
                    sum.Requests += bucket.Requests;
                    sum.Errors += bucket.Errors;
                    sum.Predictions += bucket.Predictions;
                    sum.Latency.AddAll(bucket.Latency);
                    foreach (var (label, count) in bucket.Classes) sum.Classes[label] = sum.Classes.GetValueOrDefault(label) + count;
                }
            }
        }
        return new MinuteStats(DateTimeOffset.FromUnixTimeSeconds((now - minutes + 1) * 60), sum.Requests, sum.Errors, sum.Predictions,
            sum.Latency.Percentile(0.5), sum.Latency.Percentile(0.95), sum.Latency.Percentile(0.99), sum.Classes);
    }

    public void Forget(Guid endpointId) => _endpoints.TryRemove(endpointId, out _);

    private static MinuteStats Snapshot(DateTimeOffset at, Bucket bucket, EndpointStats stats)
    {
        lock (stats)
            return new MinuteStats(at, bucket.Requests, bucket.Errors, bucket.Predictions, bucket.Latency.Percentile(0.5),
                bucket.Latency.Percentile(0.95), bucket.Latency.Percentile(0.99), new Dictionary<string, long>(bucket.Classes));
    }

    private sealed class EndpointStats
    {
        public readonly Dictionary<long, Bucket> Minutes = [];
        public readonly LinkedList<LowConfidenceInput> LowConfidence = new();
    }

    private sealed class Bucket
    {
        public long Requests, Errors, Predictions;
        public readonly LatencyHistogram Latency = new();
        public readonly Dictionary<string, long> Classes = new(StringComparer.Ordinal);
    }
}
