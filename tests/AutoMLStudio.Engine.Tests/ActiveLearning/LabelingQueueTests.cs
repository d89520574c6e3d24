using AutoMLStudio.Engine.ActiveLearning;

namespace AutoMLStudio.Engine.Tests.ActiveLearning;

public sealed class LabelingQueueTests
{
    private static readonly string[] Fashion = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot"];

    private static int[] Order(IReadOnlyList<float[]> probabilities, string strategy, int batchSize, int seed = 1,
        double diversity = LabelingQueue.DefaultDiversityWeight, IReadOnlyList<float[]>? embeddings = null) =>
        LabelingQueue.Order(new LabelingRequest(probabilities, strategy, batchSize, seed, diversity, embeddings)).Select(r => r.Index).ToArray();

    // Ten classes; the item is sure of `top` with probability p and spreads the rest evenly.
    private static float[] Peaked(int top, float p)
    {
        var v = Enumerable.Repeat((1 - p) / 9, 10).ToArray();
        v[top] = p;
        return v;
    }

    // Ten classes; a near-tie between two of them.
    private static float[] Confused(int a, int b, float pa, float pb)
    {
        var v = Enumerable.Repeat((1 - pa - pb) / 8, 10).ToArray();
        v[a] = pa;
        v[b] = pb;
        return v;
    }

    // A pool with many exact ties: 60 items drawn from 4 vectors.
    private static float[][] PoolWithTies()
    {
        float[][] kinds = [Peaked(0, 0.9f), Peaked(1, 0.5f), Confused(2, 4, 0.4f, 0.4f), Peaked(3, 0.2f)];
        var random = new Random(3);
        return Enumerable.Range(0, 60).Select(_ => kinds[random.Next(kinds.Length)]).ToArray();
    }

    [Theory]
    [InlineData(LabelingQueue.Uncertainty)]
    [InlineData(LabelingQueue.Margin)]
    [InlineData(LabelingQueue.Random)]
    [InlineData(LabelingQueue.Badge)]
    public void The_same_seed_gives_the_same_order_and_another_seed_breaks_ties_differently(string strategy)
    {
        var pool = PoolWithTies();

        var first = Order(pool, strategy, batchSize: 8, seed: 7);
        var again = Order(pool, strategy, batchSize: 8, seed: 7);
        var other = Order(pool, strategy, batchSize: 8, seed: 8);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal(Enumerable.Range(0, pool.Length), first.Order());
        Assert.Equal(Enumerable.Range(0, pool.Length), other.Order());
    }

    [Fact]
    public void Uncertainty_puts_the_flattest_probability_vectors_first()
    {
        float[][] pool = [Peaked(0, 0.98f), Peaked(1, 0.1f), Peaked(2, 0.6f), Peaked(3, 0.3f)];

        Assert.Equal([1, 3, 2, 0], Order(pool, LabelingQueue.Uncertainty, batchSize: 0));
        // Diversity reorders the batch but never displaces the least sure item from the front.
        Assert.Equal(1, Order(pool, LabelingQueue.Uncertainty, batchSize: 4)[0]);
    }

    [Fact]
    public void Margin_puts_near_ties_first_where_uncertainty_prefers_flatter_vectors()
    {
        // Item 0 is torn between two classes and sure it is one of them; item 1 is vaguer but leans one way.
        float[][] pool = [Confused(6, 0, 0.45f, 0.44f), Peaked(2, 0.4f), Peaked(5, 0.95f)];

        Assert.Equal([0, 1, 2], Order(pool, LabelingQueue.Margin, batchSize: 0));
        Assert.Equal([1, 0, 2], Order(pool, LabelingQueue.Uncertainty, batchSize: 0));
    }

    [Fact]
    public void Diversity_keeps_twenty_copies_of_one_uncertain_item_from_filling_the_batch()
    {
        // 20 copies of the least sure item look alike; 10 slightly surer items each look different.
        var copies = Enumerable.Repeat(Confused(6, 0, 0.45f, 0.45f), 20);
        var distinct = Enumerable.Range(0, 10).Select(i => Confused(i, (i + 1) % 10, 0.42f, 0.40f));
        var pool = copies.Concat(distinct).ToArray();
        var embeddings = Enumerable.Range(0, pool.Length).Select(i => OneHot(i < 20 ? 0 : i - 19, 11)).ToArray();

        var plain = Order(pool, LabelingQueue.Margin, batchSize: 10, diversity: 0, embeddings: embeddings);
        var diverse = Order(pool, LabelingQueue.Margin, batchSize: 10, embeddings: embeddings);
        var byProbabilities = Order(pool, LabelingQueue.Margin, batchSize: 10);

        Assert.All(plain[..10], i => Assert.True(i < 20));
        Assert.Equal(1, diverse[..10].Count(i => i < 20));
        Assert.Equal(1, byProbabilities[..10].Count(i => i < 20));
        // The copies left out of the batch come right after it: past the batch, the order is by score again.
        Assert.All(diverse[10..29], i => Assert.True(i < 20));
    }

    [Fact]
    public void Random_is_a_seeded_permutation_that_reads_only_the_pool_size()
    {
        var pool = Enumerable.Range(0, 50).Select(_ => Array.Empty<float>()).ToArray();

        var order = LabelingQueue.Order(new LabelingRequest(pool, LabelingQueue.Random, BatchSize: 10, Seed: 4));

        Assert.Equal(Enumerable.Range(0, 50), order.Select(r => r.Index).Order());
        Assert.NotEqual(Enumerable.Range(0, 50), order.Select(r => r.Index));
        var shuffled = Enumerable.Range(0, 50).ToArray();
        new Random(4).Shuffle(shuffled);
        Assert.Equal(shuffled, order.Select(r => r.Index));
        Assert.All(order, r => Assert.Equal("random order", r.Why));
    }

    [Fact]
    public void Each_item_says_which_two_classes_the_model_hesitates_between()
    {
        float[][] pool = [Confused(6, 0, 0.41f, 0.38f)];

        var item = LabelingQueue.Order(new LabelingRequest(pool, LabelingQueue.Margin, 1, 1, ClassNames: Fashion)).Single();
        var unnamed = LabelingQueue.Order(new LabelingRequest(pool, LabelingQueue.Margin, 1, 1)).Single();

        Assert.Equal("top two classes shirt 41% / t-shirt 38%", item.Why);
        Assert.Equal("top two classes class 6 41% / class 0 38%", unnamed.Why);
        Assert.Equal(0.97, item.Uncertainty, 5);
    }

    [Fact]
    public void An_empty_pool_gives_an_empty_order_and_a_batch_larger_than_the_pool_takes_all_of_it()
    {
        Assert.Empty(Order([], LabelingQueue.Uncertainty, batchSize: 5));
        Assert.Empty(Order([], LabelingQueue.Random, batchSize: 5));
        float[][] pool = [Peaked(0, 0.9f), Peaked(1, 0.3f), Peaked(2, 0.6f)];
        Assert.Equal([1, 2, 0], Order(pool, LabelingQueue.Uncertainty, batchSize: 100));
    }

    [Fact]
    public void Probabilities_that_do_not_sum_to_one_are_normalised()
    {
        float[][] pool = [[2f, 2f], [9f, 1f]];

        var order = LabelingQueue.Order(new LabelingRequest(pool, LabelingQueue.Uncertainty, 0, 1));

        Assert.Equal([0, 1], order.Select(r => r.Index));
        Assert.Equal(1.0, order[0].Uncertainty, 9);
    }

    public static TheoryData<string, LabelingRequest> HostileRequests => new()
    {
        { "NaN", new([[0.5f, 0.5f], [float.NaN, 0.5f]], LabelingQueue.Uncertainty, 1, 1) },
        { "Infinity", new([[float.PositiveInfinity, 0.5f]], LabelingQueue.Margin, 1, 1) },
        { "negative", new([[-0.1f, 1.1f]], LabelingQueue.Margin, 1, 1) },
        { "all zero", new([[0f, 0f]], LabelingQueue.Margin, 1, 1) },
        { "lengths", new([[0.5f, 0.5f], [0.2f, 0.3f, 0.5f]], LabelingQueue.Uncertainty, 1, 1) },
        { "one class", new([[1f], [1f]], LabelingQueue.Uncertainty, 1, 1) },
        { "missing", new([[0.5f, 0.5f], null!], LabelingQueue.Uncertainty, 1, 1) },
        { "strategy", new([[0.5f, 0.5f]], "entropy", 1, 1) },
        { "batch", new([[0.5f, 0.5f]], LabelingQueue.Margin, -1, 1) },
        { "weight", new([[0.5f, 0.5f]], LabelingQueue.Margin, 1, 1, DiversityWeight: double.NaN) },
        { "embedding count", new([[0.5f, 0.5f], [0.4f, 0.6f]], LabelingQueue.Margin, 2, 1, Embeddings: [[1f]]) },
        { "embedding width", new([[0.5f, 0.5f], [0.4f, 0.6f]], LabelingQueue.Margin, 2, 1, Embeddings: [[1f], [1f, 2f]]) },
        { "embedding NaN", new([[0.5f, 0.5f], [0.4f, 0.6f]], LabelingQueue.Margin, 2, 1, Embeddings: [[1f], [float.NaN]]) },
        { "class names", new([[0.5f, 0.5f]], LabelingQueue.Margin, 1, 1, ClassNames: ["one"]) },
    };

    [Theory]
    [MemberData(nameof(HostileRequests))]
    public void Hostile_input_is_refused_with_an_argument_exception_that_says_what_is_wrong(string what, LabelingRequest request)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => LabelingQueue.Order(request));

        Assert.False(string.IsNullOrWhiteSpace(error.Message), what);
    }

    [Fact]
    public void An_embedding_at_the_shortlist_mean_counts_as_like_nothing()
    {
        // Identical embeddings centre to zero vectors: no similarity, so the order is by uncertainty alone.
        float[][] pool = [Peaked(0, 0.9f), Peaked(1, 0.3f), Peaked(2, 0.6f)];
        float[][] same = [[1f, 2f], [1f, 2f], [1f, 2f]];

        Assert.Equal([1, 2, 0], Order(pool, LabelingQueue.Uncertainty, batchSize: 3, embeddings: same));
    }

    private static float[] OneHot(int index, int width)
    {
        var v = new float[width];
        v[index] = 1;
        return v;
    }
}
