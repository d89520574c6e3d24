using AutoMLStudio.Engine.ActiveLearning;
using AutoMLStudio.Engine.Models;
using AutoMLStudio.Engine.Native;
using AutoMLStudio.Engine.Training;
using TorchSharp;

namespace AutoMLStudio.Engine.Tests.ActiveLearning;

[Collection(TorchCollection.Name)]
public sealed class PoolScoringTests : IDisposable
{
    private readonly TempFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    [Fact]
    public void Probabilities_match_evaluation_and_embeddings_are_the_dense_layers_activations()
    {
        var architecture = TestData.SmallCnn();
        var weights = Path.Combine(_folders.New(), "model.weights");
        TorchNative.EnsureLoaded();
        torch.random.manual_seed(3);
        using (var model = CnnModelFactory.Build(architecture)) model.save(weights);
        // 300 images: more than one scoring batch, so batch boundaries are covered.
        var pool = TestData.Stripes(300, 16, seed: 4);

        var scores = PoolScoring.Score(architecture, weights, pool, TestData.Cpu);
        var evaluation = ImageClassifierTrainer.Evaluate(architecture, weights, pool, TestData.Cpu);

        Assert.Equal(pool.Count, scores.Probabilities.Length);
        for (var i = 0; i < pool.Count; i++)
            Assert.Equal(evaluation.Probabilities[i], scores.Probabilities[i], (a, b) => Math.Abs(a - b) < 1e-5f);
        Assert.All(scores.Embeddings, e => Assert.Equal(architecture.DenseUnits, e.Length));
        // After the dense layer's ReLU nothing is negative, and a random network is not all zeros.
        Assert.All(scores.Embeddings, e => Assert.True(e.Min() >= 0));
        Assert.Contains(scores.Embeddings, e => e.Max() > 0);
    }

    [Fact]
    public void Images_of_another_shape_are_refused()
    {
        var architecture = TestData.SmallCnn();
        var weights = Path.Combine(_folders.New(), "model.weights");
        using (var model = CnnModelFactory.Build(architecture)) model.save(weights);

        Assert.Throws<ArgumentException>(() => PoolScoring.Score(architecture, weights, TestData.Stripes(3, 20, seed: 1), TestData.Cpu));
        Assert.Throws<FileNotFoundException>(() => PoolScoring.Score(architecture, weights + ".missing", TestData.Stripes(3, 16, seed: 1), TestData.Cpu));
    }

    [Fact]
    public void A_committee_averages_its_members_probabilities_and_keeps_the_first_members_embeddings()
    {
        // Item 0: each member is sure, but of different classes; item 1: both lean the same way; item 2: both sure.
        var a = new PoolScores([[0.9f, 0.1f, 0f], [0.6f, 0.4f, 0f], [0f, 0f, 1f]], [[1f, 0f], [0f, 1f], [1f, 1f]]);
        var b = new PoolScores([[0.1f, 0.9f, 0f], [0.7f, 0.3f, 0f], [0f, 0f, 1f]], [[5f, 5f], [5f, 5f], [5f, 5f]]);

        var committee = PoolScoring.Committee([a, b]);

        Assert.Equal([0.5f, 0.5f, 0f], committee.Probabilities[0]);
        Assert.Equal([0.65f, 0.35f, 0f], committee.Probabilities[1], (x, y) => Math.Abs(x - y) < 1e-6f);
        Assert.Equal([0f, 0f, 1f], committee.Probabilities[2]);
        Assert.Same(a.Embeddings, committee.Embeddings);
        Assert.Equal(a.Probabilities, PoolScoring.Committee([a]).Probabilities);

        // Either member alone ranks item 0 behind item 1 by margin (0.8 apart against 0.2 or 0.4); their disagreement
        // makes it the committee's near-tie, first in line.
        static int[] MarginOrder(PoolScores s) =>
            LabelingQueue.Order(new LabelingRequest(s.Probabilities, LabelingQueue.Margin, 0, 1)).Select(r => r.Index).ToArray();
        Assert.Equal([1, 0, 2], MarginOrder(a));
        Assert.Equal([1, 0, 2], MarginOrder(b));
        Assert.Equal([0, 1, 2], MarginOrder(committee));
    }

    [Fact]
    public void A_committee_of_nobody_or_of_members_that_scored_different_pools_is_refused()
    {
        var three = new PoolScores([[0.5f, 0.5f], [0.2f, 0.8f], [1f, 0f]], [[1f], [2f], [3f]]);
        var two = new PoolScores([[0.5f, 0.5f], [0.2f, 0.8f]], [[1f], [2f]]);
        var moreClasses = new PoolScores([[0.5f, 0.5f], [0.2f, 0.8f], [0.3f, 0.3f, 0.4f]], [[1f], [2f], [3f]]);

        Assert.Throws<ArgumentException>(() => PoolScoring.Committee([]));
        Assert.Contains("member 1 scored 2 items", Assert.Throws<ArgumentException>(() => PoolScoring.Committee([three, two])).Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("item 2", Assert.Throws<ArgumentException>(() => PoolScoring.Committee([three, moreClasses])).Message);
    }
}
