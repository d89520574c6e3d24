using AutoMLStudio.Engine.ActiveLearning;

namespace AutoMLStudio.Engine.Tests.ActiveLearning;

/// <summary>The <c>badge</c> strategy: k-means++ seeding over gradient embeddings (p − onehot(top)) ⊗ h.</summary>
public sealed class BadgeTests
{
    private static int[] Order(IReadOnlyList<float[]> probabilities, int batchSize, int seed = 1, IReadOnlyList<float[]>? embeddings = null) =>
        LabelingQueue.Order(new LabelingRequest(probabilities, LabelingQueue.Badge, batchSize, seed, Embeddings: embeddings))
            .Select(r => r.Index).ToArray();

    // Ten classes; a near-tie between two of them, the rest spread evenly.
    private static float[] Confused(int a, int b, float pa, float pb)
    {
        var v = Enumerable.Repeat((1 - pa - pb) / 8, 10).ToArray();
        v[a] = pa;
        v[b] = pb;
        return v;
    }

    // Ten classes; the model is sure of `top` with probability p.
    private static float[] Peaked(int top, float p)
    {
        var v = Enumerable.Repeat((1 - p) / 9, 10).ToArray();
        v[top] = p;
        return v;
    }

    private static float[] OneHot(int index, int width, float value = 1)
    {
        var v = new float[width];
        v[index] = value;
        return v;
    }

    // 40 items: 30 with a near-tie between varying classes, 10 the model is sure of, each with its own random embedding.
    private static (float[][] Probabilities, float[][] Embeddings) MixedPool()
    {
        var random = new Random(5);
        var probabilities = Enumerable.Range(0, 40).Select(i => i < 30
            ? Confused(i % 10, (i / 10 + i + 1) % 10, 0.35f + 0.1f * random.NextSingle(), 0.3f)
            : Peaked(i % 10, 0.999f)).ToArray();
        var embeddings = Enumerable.Range(0, 40).Select(_ => Enumerable.Range(0, 16).Select(_ => random.NextSingle()).ToArray()).ToArray();
        return (probabilities, embeddings);
    }

    [Fact]
    public void Badge_is_a_listed_strategy()
    {
        Assert.Contains(LabelingQueue.Badge, LabelingQueue.Strategies);
    }

    [Fact]
    public void The_same_seed_gives_the_same_order_and_another_seed_draws_another_batch()
    {
        var (pool, embeddings) = MixedPool();

        var first = Order(pool, batchSize: 10, seed: 7, embeddings);
        var again = Order(pool, batchSize: 10, seed: 7, embeddings);
        var other = Order(pool, batchSize: 10, seed: 8, embeddings);

        Assert.Equal(first, again);
        Assert.NotEqual(first[..10], other[..10]);
        Assert.Equal(Enumerable.Range(0, pool.Length), first.Order());
        Assert.Equal(Enumerable.Range(0, pool.Length), other.Order());
    }

    [Fact]
    public void The_first_pick_has_the_longest_gradient_not_the_smallest_margin()
    {
        // Item 0 is the nearest tie but its features are faint; item 1 is less torn with features ten times as strong:
        // ||g|| = ||p − e|| · ||h|| is larger for item 1, and margin would put item 0 first.
        float[][] pool = [Confused(6, 0, 0.45f, 0.44f), Confused(2, 4, 0.6f, 0.3f), Peaked(5, 0.9f), Peaked(1, 0.7f)];
        float[][] embeddings = [OneHot(0, 4, 0.1f), OneHot(1, 4), OneHot(2, 4), OneHot(3, 4)];

        Assert.Equal(0, LabelingQueue.Order(new LabelingRequest(pool, LabelingQueue.Margin, 0, 1)).First().Index);
        foreach (var seed in new[] { 1, 2, 3 }) Assert.Equal(1, Order(pool, batchSize: 2, seed, embeddings)[0]);
        // Without embeddings h = [1], and the longest p − onehot is the near-tie's.
        Assert.Equal(0, Order(pool, batchSize: 2)[0]);
    }

    [Fact]
    public void Twenty_copies_of_the_most_uncertain_item_take_one_place_in_the_batch()
    {
        // 20 copies of the least sure item, and 10 slightly surer items that each look different.
        var copies = Enumerable.Repeat(Confused(6, 0, 0.45f, 0.45f), 20);
        var distinct = Enumerable.Range(0, 10).Select(i => Confused(i, (i + 1) % 10, 0.42f, 0.40f));
        var pool = copies.Concat(distinct).ToArray();
        var embeddings = Enumerable.Range(0, pool.Length).Select(i => OneHot(i < 20 ? 0 : i - 19, 11)).ToArray();

        foreach (var seed in Enumerable.Range(1, 10))
        {
            var order = Order(pool, batchSize: 10, seed, embeddings);
            Assert.True(order[0] < 20, "the copies have the longest gradient");
            Assert.Equal(1, order[..10].Count(i => i < 20));
        }
    }

    [Fact]
    public void Items_the_model_is_sure_of_come_last_and_at_most_one_gets_into_the_batch()
    {
        var (pool, embeddings) = MixedPool();

        foreach (var seed in Enumerable.Range(1, 10))
        {
            var order = Order(pool, batchSize: 10, seed, embeddings);
            // Sure items sit together near the origin: once one is picked the rest are next to it.
            Assert.True(order[..10].Count(i => i >= 30) <= 1, $"seed {seed}: {string.Join(", ", order[..10])}");
            // After the batch, margin order: the ten sure items are the last ten (less one that the batch took).
            Assert.All(order[^9..], i => Assert.True(i >= 30));
        }
    }

    [Fact]
    public void A_pool_the_model_is_sure_of_throughout_is_still_ordered_in_full()
    {
        // Exact one-hot probabilities: every gradient is 0, so k-means++ stops after its first pick and margin order fills the batch.
        float[][] pool = [OneHot(0, 3), OneHot(1, 3), OneHot(2, 3), OneHot(0, 3)];

        var order = Order(pool, batchSize: 3);

        Assert.Equal([0, 1, 2, 3], order.Order());
    }

    [Fact]
    public void Scores_and_reasons_are_margins()
    {
        float[][] pool = [Confused(6, 0, 0.41f, 0.38f), Peaked(2, 0.9f)];
        var badge = LabelingQueue.Order(new LabelingRequest(pool, LabelingQueue.Badge, 2, 1)).OrderBy(r => r.Index).ToList();
        var margin = LabelingQueue.Order(new LabelingRequest(pool, LabelingQueue.Margin, 2, 1)).OrderBy(r => r.Index).ToList();

        Assert.Equal(margin, badge);
    }

    [Fact]
    public void Hostile_input_is_refused_as_for_the_other_strategies()
    {
        Assert.ThrowsAny<ArgumentException>(() => Order([[0.5f, 0.5f], [float.NaN, 0.5f]], 1));
        Assert.ThrowsAny<ArgumentException>(() => Order([[0.5f, 0.5f], [0.4f, 0.6f]], 2, embeddings: [[1f], [float.NaN]]));
    }
}
