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
}
