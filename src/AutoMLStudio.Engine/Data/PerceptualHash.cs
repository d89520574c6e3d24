using System.Numerics;

namespace AutoMLStudio.Engine.Data;

/// <summary>Comparing 64-bit perceptual hashes (see <see cref="ImageDecoder.DifferenceHash"/>).</summary>
public static class PerceptualHash
{
    /// <summary>Number of bits in which two hashes differ (0 to 64).</summary>
    public static int Distance(long a, long b) => BitOperations.PopCount((ulong)(a ^ b));

    /// <summary>
    /// Groups of item indices whose hashes are within <paramref name="maxDistance"/> of each other, linked
    /// transitively; only groups of two or more are returned, each sorted, groups ordered by their first index.
    /// Not quadratic: the hash is cut into <c>maxDistance + 1</c> bands, and by the pigeonhole principle two hashes
    /// within the distance agree exactly on at least one band, so only hashes sharing a band value are compared.
    /// Identical hashes are merged first, so many copies of one image cost nothing extra.
    /// </summary>
    public static IReadOnlyList<int[]> NearDuplicateGroups(IReadOnlyList<long> hashes, int maxDistance = 4)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        ArgumentOutOfRangeException.ThrowIfNegative(maxDistance);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxDistance, 15);

        var distinct = new Dictionary<long, int>();
        var hashOf = new int[hashes.Count];
        for (var i = 0; i < hashes.Count; i++)
        {
            if (!distinct.TryGetValue(hashes[i], out var d)) distinct[hashes[i]] = d = distinct.Count;
            hashOf[i] = d;
        }
        var values = new long[distinct.Count];
        foreach (var (value, d) in distinct) values[d] = value;

        var parent = Enumerable.Range(0, values.Length).ToArray();
        int Find(int x)
        {
            while (parent[x] != x) x = parent[x] = parent[parent[x]];
            return x;
        }

        var bands = maxDistance + 1;
        for (var band = 0; band < bands; band++)
        {
            var start = band * 64 / bands;
            var width = (band + 1) * 64 / bands - start;
            var mask = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
            var buckets = new Dictionary<ulong, List<int>>();
            for (var d = 0; d < values.Length; d++)
            {
                var key = ((ulong)values[d] >> start) & mask;
                if (!buckets.TryGetValue(key, out var bucket)) buckets[key] = bucket = [];
                bucket.Add(d);
            }
            foreach (var bucket in buckets.Values)
            for (var i = 0; i < bucket.Count; i++)
            for (var j = i + 1; j < bucket.Count; j++)
                if (Distance(values[bucket[i]], values[bucket[j]]) <= maxDistance)
                    parent[Find(bucket[i])] = Find(bucket[j]);
        }

        return Enumerable.Range(0, hashes.Count)
            .GroupBy(i => Find(hashOf[i]))
            .Where(g => g.Count() > 1)
            .Select(g => g.Order().ToArray())
            .OrderBy(g => g[0])
            .ToList();
    }
}
