namespace AutoMLStudio.Engine.ActiveLearning;

/// <summary>
/// Orders an unlabeled pool so that each label a person makes teaches the model the most: the items it is least sure
/// of first, spread over what they look like so the next batch is not twenty near-copies. Pure and deterministic:
/// the same request gives the same order.
/// </summary>
public static class LabelingQueue
{
    /// <summary>Least sure first by the entropy of the class probabilities (the flattest vectors first).</summary>
    public const string Uncertainty = "uncertainty";

    /// <summary>Least sure first by the gap between the two likeliest classes (near-ties first).</summary>
    public const string Margin = "margin";

    /// <summary>A seeded permutation: the baseline, and the only choice before any model exists.</summary>
    public const string Random = "random";

    /// <summary>
    /// BADGE (Ash et al., ICLR 2020): the batch is k-means++ seeding over each item's last-layer gradient embedding,
    /// whose length measures doubt and whose spread gives diversity (<see cref="BadgeBatch"/>); the rest in margin order.
    /// </summary>
    public const string Badge = "badge";

    /// <summary>The strategy names <see cref="LabelingRequest.Strategy"/> accepts.</summary>
    public static IReadOnlyList<string> Strategies { get; } = [Uncertainty, Margin, Random, Badge];

    /// <summary>The diversity weight a request gets when it names none.</summary>
    // Scores inside a shortlist are close (margin on Fashion-MNIST: from 1.0 down to 0.83-0.90); a weight of that
    // spread lets an exact copy of a picked item (similarity 1) fall behind the next distinct one without letting
    // likeness outweigh uncertainty. At 0.5 the batch spread over the whole shortlist and learned less (bench/README.md).
    public const double DefaultDiversityWeight = 0.1;

    /// <summary>The batch is chosen among this many times its size of the least sure items.</summary>
    public const int ShortlistFactor = 10;

    /// <summary>
    /// Every item of the pool, once: first the next <see cref="LabelingRequest.BatchSize"/> to label, then the rest,
    /// least sure first. The batch is picked greedily from the <see cref="ShortlistFactor"/> × batch least sure items:
    /// each pick maximises its uncertainty minus <see cref="LabelingRequest.DiversityWeight"/> × its largest cosine
    /// similarity to the items already picked (embeddings centred on the shortlist's mean; a dissimilar item earns no
    /// bonus). Equal scores are ordered by a permutation drawn from <see cref="LabelingRequest.Seed"/>.
    /// <para>
    /// <c>badge</c> picks its batch over the whole pool instead, by k-means++ seeding over gradient embeddings
    /// (<see cref="BadgeBatch"/>: the longest gradient first, then draws seeded by <see cref="LabelingRequest.Seed"/>), and
    /// does not read <see cref="LabelingRequest.DiversityWeight"/>. Its scores, and the order of the items after the
    /// batch, are margin's.
    /// </para>
    /// </summary>
    /// <exception cref="ArgumentException">
    /// An unknown strategy, a negative batch size or diversity weight, probabilities that are missing, of different
    /// lengths, fewer than 2, negative, not finite or all zero, or embeddings or class names that do not match the pool.
    /// </exception>
    public static IReadOnlyList<RankedItem> Order(LabelingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var probabilities = PoolChecks.Probabilities(request);
        var embeddings = PoolChecks.Embeddings(request);
        var count = request.Probabilities.Count;
        var tieRank = TieRanks(count, request.Seed);
        var scores = probabilities is null ? new double[count] : UncertaintyScores.Of(probabilities, request.Strategy);

        var byScore = Enumerable.Range(0, count).ToArray();
        Array.Sort(byScore, (a, b) => scores[a] != scores[b] ? scores[b].CompareTo(scores[a]) : tieRank[a].CompareTo(tieRank[b]));

        var batchSize = Math.Min(request.BatchSize, count);
        int[] batch;
        if (probabilities is not null && request.Strategy == Badge)
        {
            // Past the batch, k-means++ gives no order (each draw depends on the picks before it, and a person labels a
            // batch at a time), so the rest follows margin, the score BADGE's gradient length tracks most closely:
            // ||p − onehot(top)|| is smallest when the top class is sure, as the margin is largest.
            batch = BadgeBatch.Pick(probabilities, embeddings, tieRank, byScore, request.Seed, batchSize);
        }
        else if (probabilities is not null && request.DiversityWeight > 0 && batchSize > 1)
        {
            var shortlist = byScore[..(int)Math.Min(count, (long)ShortlistFactor * batchSize)];
            Func<int, double[]> vectorOf = embeddings is null ? i => probabilities[i] : i => Array.ConvertAll(embeddings[i], v => (double)v);
            batch = DiverseBatch.Pick(shortlist, scores, tieRank, vectorOf, request.DiversityWeight, batchSize);
        }
        else
        {
            batch = byScore[..batchSize];
        }

        var inBatch = new HashSet<int>(batch);
        var classNames = PoolChecks.ClassNames(request, probabilities);
        return batch.Concat(byScore.Where(i => !inBatch.Contains(i)))
            .Select(i => new RankedItem(i, scores[i], probabilities is null ? "random order" : UncertaintyScores.Why(probabilities[i], classNames)))
            .ToList();
    }

    // A seeded permutation's positions: sorting by them after the score breaks ties the same way for the same seed,
    // and orders the whole pool when every score is equal (the random strategy).
    private static int[] TieRanks(int count, int seed)
    {
        var shuffled = Enumerable.Range(0, count).ToArray();
        new System.Random(seed).Shuffle(shuffled);
        var rank = new int[count];
        for (var position = 0; position < count; position++) rank[shuffled[position]] = position;
        return rank;
    }
}
