using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Text;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Engine.Tests.Spaces;

/// <summary>Tabular and text networks in words for the trial table, and their latency before training.</summary>
[Collection(TorchCollection.Name)]
public sealed class RowModelDescriptionTests
{
    private static readonly TabularMlpArchitecture Mlp = new(3, [4, 9], PredictionTask.Classification, 3, 2, 64, true, 0.1);
    private static readonly TextClassifierArchitecture Bag = new(TextModelFamilies.EmbeddingBag, 500, 2, 200, 64, 1024, 32, 0, 0, 0.2);
    private static readonly TextClassifierArchitecture Cnn = new(TextModelFamilies.Cnn, 500, 4, 120, 48, 0, 0, 3, 128, 0);

    [Fact]
    public void Tabular_and_text_networks_read_as_their_layers_inputs_and_outputs()
    {
        Assert.Equal("MLP 2 x 64 · BN · dropout 0.1 · 3 numeric + 2 categorical inputs -> 3 classes", TrialConfigDescription.Architecture(Mlp));
        Assert.Equal("linear · 5 numeric inputs -> a number",
            TrialConfigDescription.Architecture(new TabularMlpArchitecture(5, [], PredictionTask.Regression, 0, 0, 16, false, 0)));
        Assert.Equal("embedding-bag 64-d + bigrams · hidden 32 · dropout 0.2 · up to 200 words -> 2 classes", TrialConfigDescription.Architecture(Bag));
        Assert.Equal("conv 3 x 128 over 48-d embeddings, max-pool · up to 120 words -> 4 classes", TrialConfigDescription.Architecture(Cnn));
    }

    [Fact]
    public void Untrained_tabular_and_text_models_have_a_measurable_latency_at_batch_size_one()
    {
        Assert.InRange(LatencyMeter.MedianMillisecondsUntrained(Mlp, TestData.Cpu), 1e-5, 1_000);
        Assert.InRange(LatencyMeter.MedianMillisecondsUntrained(Bag, TestData.Cpu), 1e-5, 1_000);
        Assert.InRange(LatencyMeter.MedianMillisecondsUntrained(Cnn, TestData.Cpu), 1e-5, 1_000);
    }
}
