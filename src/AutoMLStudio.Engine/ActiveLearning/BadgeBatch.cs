namespace AutoMLStudio.Engine.ActiveLearning;

/// <summary>
/// BADGE (Ash et al., "Deep Batch Active Learning by Diverse, Uncertain Gradient Lower Bounds", ICLR 2020): each item
/// is represented by the gradient of its loss with respect to the output layer's weights, taking the model's own
/// prediction as the label, g = (p − onehot(argmax p)) ⊗ h, where p are the class probabilities and h what enters the
/// output layer; the batch is k-means++ seeding over these vectors.
/// <para>
/// Uncertainty and diversity come from one rule, with no weight between them: an item the model is unsure of has a long
/// gradient (||g|| = ||p − e|| · ||h||, and ||p − e|| grows as the top class loses probability), so it lies far from the
/// rest and is likely to be drawn; an item like one already picked lies close to it and is unlikely to be; an exact copy
/// lies at distance 0 and is never drawn. Items the model is sure of sit near the origin, together: once one of them is
/// picked the rest are next to it, so at most a few get into a batch.
/// </para>
/// <para>
/// Cost: the 10 × 64 outer products are never built. Squared distances follow from
/// (a ⊗ b) · (c ⊗ d) = (a · c)(b · d): ||g_i − g_j||² = ||g_i||² + ||g_j||² − 2 (a_i · a_j)(h_i · h_j). Each item keeps its
/// squared distance to the nearest item picked so far, updated with each new pick: O(pool × batch × (classes + width))
/// time and O(pool) memory beyond the inputs.
/// </para>
/// </summary>
internal static class BadgeBatch
{
    /// <summary>
    /// <paramref name="count"/> items of the pool: first the one with the longest gradient (ties by
    /// <paramref name="tieRank"/>), then each next drawn with probability proportional to its squared distance to the
    /// nearest item already picked, from a generator seeded with <paramref name="seed"/>. When every item left is at
    /// distance 0 from the batch (copies of picked items, or a pool the model is sure of throughout), the batch is
    /// filled from <paramref name="fallbackOrder"/>.
    /// </summary>
    /// <param name="probabilities">Normalised class probabilities per item.</param>
    /// <param name="embeddings">What enters the output layer per item; null stands for h = [1], the gradient of the output biases.</param>
    public static int[] Pick(double[][] probabilities, IReadOnlyList<float[]>? embeddings, int[] tieRank, int[] fallbackOrder, int seed, int count)
    {
        var items = probabilities.Length;
        if (items == 0 || count <= 0) return [];
        var residuals = new double[items][];
        var features = new double[items][];
        var residualSquares = new double[items];
        var featureSquares = new double[items];
        for (var i = 0; i < items; i++)
        {
            var p = probabilities[i];
            var top = TopClass(p);
            var a = (double[])p.Clone();
            a[top] -= 1;
            residuals[i] = a;
            features[i] = embeddings is null ? [1.0] : Array.ConvertAll(embeddings[i], v => (double)v);
            residualSquares[i] = Dot(a, a);
            featureSquares[i] = Dot(features[i], features[i]);
        }

        // ||g||² per item; a pick's own entry is computed the same way, so an exact copy's distance is exactly 0.
        var norms = new double[items];
        for (var i = 0; i < items; i++) norms[i] = residualSquares[i] * featureSquares[i];

        var batch = new List<int>(count);
        var taken = new bool[items];
        var nearest = new double[items];
        Array.Fill(nearest, double.PositiveInfinity);
        var random = new Random(seed);

        var first = 0;
        for (var i = 1; i < items; i++)
            if (norms[i] > norms[first] || (norms[i] == norms[first] && tieRank[i] < tieRank[first])) first = i;
        Add(first);

        while (batch.Count < count)
        {
            double total = 0;
            for (var i = 0; i < items; i++)
                if (!taken[i]) total += nearest[i];
            if (!(total > 0)) break;

            // Walk the pool in index order; the last item with weight stands in for rounding at the end of the sum.
            var target = random.NextDouble() * total;
            var chosen = -1;
            double running = 0;
            for (var i = 0; i < items; i++)
            {
                if (taken[i] || nearest[i] <= 0) continue;
                chosen = i;
                running += nearest[i];
                if (running > target) break;
            }
            Add(chosen);
        }

        // The rest of the pool lies at distance 0 from the batch: k-means++ has nothing more to say about it.
        if (batch.Count < count)
            foreach (var i in fallbackOrder)
            {
                if (batch.Count == count) break;
                if (!taken[i]) Add(i);
            }
        return [.. batch];

        void Add(int pick)
        {
            taken[pick] = true;
            batch.Add(pick);
            var a = residuals[pick];
            var h = features[pick];
            for (var i = 0; i < items; i++)
            {
                if (taken[i]) continue;
                var distance = norms[i] + norms[pick] - 2 * Dot(residuals[i], a) * Dot(features[i], h);
                // Cancellation can leave a copy at -1e-17 or a near-copy at +1e-17; both mean "the same item".
                if (distance < 1e-12 * (norms[i] + norms[pick])) distance = 0;
                if (distance < nearest[i]) nearest[i] = distance;
            }
        }
    }

    // The lower index wins equal probabilities, as in UncertaintyScores.
    private static int TopClass(double[] p)
    {
        var top = 0;
        for (var c = 1; c < p.Length; c++)
            if (p[c] > p[top]) top = c;
        return top;
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (var d = 0; d < a.Length; d++) sum += a[d] * b[d];
        return sum;
    }
}
