namespace AutoMLStudio.Engine.ActiveLearning;

/// <summary>
/// Greedy choice of a batch from a shortlist of the least sure items: each pick has the highest uncertainty minus
/// weight × its largest cosine similarity to the items picked before it.
/// <para>
/// Why this and not k-center greedy over the shortlist: k-center looks only at distances, so inside the shortlist it
/// prefers outliers (a smudged scan, a mislabeled-looking item) to the items the model is least sure of, and its
/// result does not move smoothly as the shortlist grows. Penalised uncertainty keeps uncertainty first, turns into
/// plain uncertainty order at weight 0, and has one knob whose scale is fixed (both terms lie in [0, 1]).
/// Cost: one similarity per candidate per pick, O(shortlist × batch × width), with a running maximum per candidate.
/// </para>
/// </summary>
internal static class DiverseBatch
{
    public static int[] Pick(int[] shortlist, double[] scores, int[] tieRank, Func<int, double[]> vectorOf, double weight, int count)
    {
        var vectors = CentredUnitVectors(shortlist, vectorOf);
        var closest = new double[shortlist.Length];
        var taken = new bool[shortlist.Length];
        var batch = new int[count];
        for (var pick = 0; pick < count; pick++)
        {
            var best = -1;
            var bestValue = double.NegativeInfinity;
            for (var j = 0; j < shortlist.Length; j++)
            {
                if (taken[j]) continue;
                // Only likeness is penalised: an item unlike the rest earns no bonus over a less sure one.
                var value = scores[shortlist[j]] - weight * Math.Max(0, closest[j]);
                if (value > bestValue || (value == bestValue && tieRank[shortlist[j]] < tieRank[shortlist[best]]))
                {
                    best = j;
                    bestValue = value;
                }
            }
            taken[best] = true;
            batch[pick] = shortlist[best];
            for (var j = 0; j < shortlist.Length; j++)
                if (!taken[j]) closest[j] = Math.Max(closest[j], Dot(vectors[j], vectors[best]));
        }
        return batch;
    }

    // Centred on the shortlist's mean: ReLU features (and probability vectors) all point into one orthant, where any
    // two items look alike by raw cosine; after centring, similar means similar compared with the other candidates.
    // A vector at the mean has no direction and is treated as like nothing (all zeros).
    private static double[][] CentredUnitVectors(int[] shortlist, Func<int, double[]> vectorOf)
    {
        var vectors = shortlist.Select(i => (double[])vectorOf(i).Clone()).ToArray();
        var width = vectors[0].Length;
        var mean = new double[width];
        foreach (var v in vectors)
            for (var d = 0; d < width; d++) mean[d] += v[d] / vectors.Length;
        foreach (var v in vectors)
        {
            for (var d = 0; d < width; d++) v[d] -= mean[d];
            var norm = Math.Sqrt(Dot(v, v));
            var scale = norm > 1e-9 ? 1 / norm : 0;
            for (var d = 0; d < width; d++) v[d] *= scale;
        }
        return vectors;
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (var d = 0; d < a.Length; d++) sum += a[d] * b[d];
        return sum;
    }
}
