namespace AutoMLStudio.Engine.ActiveLearning;

/// <summary>
/// Diverse mini-batch active learning (Zhdanov, 2019): the batch is the item nearest each centre of a k-means
/// clustering (k = batch size) of the shortlist of least sure items, each item weighted by its uncertainty.
/// <para>
/// Why centres rather than the least sure items themselves: the very nearest ties of a large pool are mostly items that
/// are ambiguous in themselves (a shirt photographed like a t-shirt), whose labels teach little about the rest; an item
/// near a cluster's centre is unsure and also typical of many others the model is unsure of, so its label moves the
/// boundary where many items lie. The clustering spreads the batch over the kinds of doubt, as the diversity term does,
/// without a weight to set. Measured against margin and random in bench/README.md (active-learning, clusters).
/// </para>
/// <para>
/// Deterministic: k-means++ seeding from <c>seed</c>, then Lloyd iterations until no item changes cluster (at most
/// <see cref="MaxIterations"/>). Cost O(shortlist × batch × width) per iteration.
/// </para>
/// </summary>
internal static class ClusteredBatch
{
    public const int MaxIterations = 30;

    public static int[] Pick(int[] shortlist, double[] scores, int[] tieRank, Func<int, double[]> vectorOf, int seed, int count)
    {
        if (shortlist.Length <= count) return shortlist;
        var points = shortlist.Select(vectorOf).ToArray();
        // A small floor, so an item of score 0 in a sure pool still counts as a point of its cluster.
        var weights = shortlist.Select(i => Math.Max(scores[i], 1e-6)).ToArray();
        var centres = SeedCentres(points, weights, count, seed);
        var assignment = new int[points.Length];
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            var changed = Assign(points, centres, assignment);
            if (!changed && iteration > 0) break;
            Recentre(points, weights, assignment, centres);
        }

        // The member nearest each centre, clusters taken in order of their total weight (most doubt first), so the
        // batch's own order puts the most telling picks first.
        var clusterWeight = new double[centres.Length];
        for (var j = 0; j < points.Length; j++) clusterWeight[assignment[j]] += weights[j];
        var taken = new bool[points.Length];
        var batch = new List<int>(count);
        foreach (var cluster in Enumerable.Range(0, centres.Length).OrderByDescending(c => clusterWeight[c]))
        {
            var best = -1;
            var bestDistance = double.PositiveInfinity;
            for (var j = 0; j < points.Length; j++)
            {
                if (taken[j] || assignment[j] != cluster) continue;
                var distance = SquaredDistance(points[j], centres[cluster]);
                if (distance < bestDistance || (distance == bestDistance && tieRank[shortlist[j]] < tieRank[shortlist[best]]))
                {
                    best = j;
                    bestDistance = distance;
                }
            }
            if (best < 0) continue;
            taken[best] = true;
            batch.Add(shortlist[best]);
        }
        // Empty clusters (duplicates collapse onto one centre) leave places: the least sure items not taken fill them.
        for (var j = 0; j < points.Length && batch.Count < count; j++)
            if (!taken[j]) batch.Add(shortlist[j]);
        return [.. batch];
    }

    // k-means++ with weights: the first centre is the heaviest item, each next is drawn with probability proportional to
    // weight × squared distance to the nearest centre so far.
    private static double[][] SeedCentres(double[][] points, double[] weights, int count, int seed)
    {
        var random = new Random(seed);
        var centres = new List<double[]>(count);
        var first = 0;
        for (var j = 1; j < points.Length; j++)
            if (weights[j] > weights[first]) first = j;
        centres.Add((double[])points[first].Clone());
        var nearest = points.Select(p => SquaredDistance(p, centres[0])).ToArray();
        while (centres.Count < count)
        {
            double total = 0;
            for (var j = 0; j < points.Length; j++) total += weights[j] * nearest[j];
            if (total <= 0) break;
            var draw = random.NextDouble() * total;
            var chosen = points.Length - 1;
            for (var j = 0; j < points.Length; j++)
            {
                draw -= weights[j] * nearest[j];
                if (draw < 0) { chosen = j; break; }
            }
            var centre = (double[])points[chosen].Clone();
            centres.Add(centre);
            for (var j = 0; j < points.Length; j++) nearest[j] = Math.Min(nearest[j], SquaredDistance(points[j], centre));
        }
        return [.. centres];
    }

    private static bool Assign(double[][] points, double[][] centres, int[] assignment)
    {
        var changed = false;
        for (var j = 0; j < points.Length; j++)
        {
            var best = 0;
            var bestDistance = double.PositiveInfinity;
            for (var c = 0; c < centres.Length; c++)
            {
                var distance = SquaredDistance(points[j], centres[c]);
                if (distance < bestDistance) (best, bestDistance) = (c, distance);
            }
            if (assignment[j] != best) changed = true;
            assignment[j] = best;
        }
        return changed;
    }

    // A centre that lost every member keeps its place; it picks nothing and its place is filled after.
    private static void Recentre(double[][] points, double[] weights, int[] assignment, double[][] centres)
    {
        var width = points[0].Length;
        var sums = new double[centres.Length][];
        var mass = new double[centres.Length];
        for (var c = 0; c < centres.Length; c++) sums[c] = new double[width];
        for (var j = 0; j < points.Length; j++)
        {
            var c = assignment[j];
            mass[c] += weights[j];
            for (var d = 0; d < width; d++) sums[c][d] += weights[j] * points[j][d];
        }
        for (var c = 0; c < centres.Length; c++)
            if (mass[c] > 0)
                for (var d = 0; d < width; d++) centres[c][d] = sums[c][d] / mass[c];
    }

    private static double SquaredDistance(double[] a, double[] b)
    {
        double sum = 0;
        for (var d = 0; d < a.Length; d++)
        {
            var difference = a[d] - b[d];
            sum += difference * difference;
        }
        return sum;
    }
}
