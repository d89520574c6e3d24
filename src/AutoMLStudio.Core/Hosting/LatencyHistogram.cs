namespace AutoMLStudio.Core.Hosting;

/// <summary>
/// Counts of latencies in logarithmic bins (20 per decade from 1 µs to 100 s), so percentiles over any number of
/// requests cost a fixed 160 counters and adding two histograms is adding their counts. Percentiles are read at a
/// bin's upper edge: at most 12 % above the true value.
/// </summary>
public sealed class LatencyHistogram
{
    private const int BinsPerDecade = 20;
    private const double SmallestMs = 0.001;
    private const int Bins = 8 * BinsPerDecade;

    private readonly long[] _counts = new long[Bins];

    public long Count { get; private set; }

    public void Add(double milliseconds)
    {
        var bin = milliseconds <= SmallestMs ? 0 : (int)Math.Ceiling(Math.Log10(milliseconds / SmallestMs) * BinsPerDecade);
        _counts[Math.Clamp(bin, 0, Bins - 1)]++;
        Count++;
    }

    public void AddAll(LatencyHistogram other)
    {
        for (var i = 0; i < Bins; i++) _counts[i] += other._counts[i];
        Count += other.Count;
    }

    /// <summary>The latency below which <paramref name="fraction"/> of the requests fell, or null with none.</summary>
    public double? Percentile(double fraction)
    {
        if (Count == 0) return null;
        var rank = (long)Math.Ceiling(fraction * Count);
        long seen = 0;
        for (var i = 0; i < Bins; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return SmallestMs * Math.Pow(10, (double)i / BinsPerDecade);
        }
        return SmallestMs * Math.Pow(10, (double)(Bins - 1) / BinsPerDecade);
    }
}
