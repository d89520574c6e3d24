using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Text;
using AutoMLStudio.Engine.Training;
using TorchSharp;

namespace AutoMLStudio.Engine.Tests.Spaces;

[Collection(TorchCollection.Name)]
public sealed class LayerCostTests
{
    public static TheoryData<TabularMlpArchitecture> TabularArchitectures =>
    [
        new(3, [4, 40], PredictionTask.Classification, 5, 2, 64, true, 0.2),
        new(0, [2], PredictionTask.Regression, 0, 1, 32, false, 0),
        new(7, [], PredictionTask.Classification, 2, 3, 256, false, 0.5),
    ];

    public static TheoryData<TextClassifierArchitecture> TextArchitectures =>
    [
        new(TextModelFamilies.EmbeddingBag, 500, 3, 128, 32, 0, 0, 0, 0, 0),
        new(TextModelFamilies.EmbeddingBag, 500, 2, 64, 64, 1000, 128, 0, 0, 0.2),
        new(TextModelFamilies.Cnn, 800, 4, 256, 128, 0, 0, 5, 64, 0.3),
        new(TextModelFamilies.Cnn, 10, 2, 3, 8, 0, 0, 3, 4, 0),
    ];

    [Theory]
    [MemberData(nameof(TabularArchitectures))]
    public void Tabular_layer_costs_match_the_built_modules_parameters_layer_by_layer(TabularMlpArchitecture architecture)
    {
        using var model = new TabularMlp(architecture);

        Assert.Equal(ParametersByLayer(model), TabularCost.Layers(architecture).ToDictionary(l => l.Layer, l => l.Parameters));
    }

    [Theory]
    [MemberData(nameof(TextArchitectures))]
    public void Text_layer_costs_match_the_built_modules_parameters_layer_by_layer(TextClassifierArchitecture architecture)
    {
        using var model = new TextClassifier(architecture);

        Assert.Equal(ParametersByLayer(model), TextCost.Layers(architecture).ToDictionary(l => l.Layer, l => l.Parameters));
    }

    [Fact]
    public void Tabular_macs_are_the_linear_layers_products_counted_by_hand()
    {
        // Input 3 numeric + embeddings min(16, 5/2)=2 and min(16, 41/2)=16 = 21 wide; 21x64, 64x64, 64x5.
        var architecture = new TabularMlpArchitecture(3, [4, 40], PredictionTask.Classification, 5, 2, 64, true, 0.2);

        Assert.Equal(21 * 64 + 64 * 64 + 64 * 5, TabularCost.CountFlops(architecture));
        Assert.Equal(4 * 2 + 40 * 16 + 21 * 64 + 2 * 64 + 64 * 64 + 2 * 64 + 64 * 5 + 5, TabularCost.CountParameters(architecture));
    }

    [Fact]
    public void Text_macs_count_the_bags_mean_and_the_convolution_by_hand()
    {
        // Bag: 64 words + 63 bigrams averaged over 64 wide, 64x128 hidden, 128x2 output.
        var bag = new TextClassifierArchitecture(TextModelFamilies.EmbeddingBag, 500, 2, 64, 64, 1000, 128, 0, 0, 0.2);
        // CNN: 256 positions x 64 filters x 128 wide x kernel 5, then 64x4.
        var cnn = new TextClassifierArchitecture(TextModelFamilies.Cnn, 800, 4, 256, 128, 0, 0, 5, 64, 0.3);

        Assert.Equal(127 * 64 + 64 * 128 + 128 * 2, TextCost.CountFlops(bag));
        Assert.Equal(256L * 64 * 128 * 5 + 64 * 4, TextCost.CountFlops(cnn));
    }

    private static Dictionary<string, long> ParametersByLayer(torch.nn.Module model) =>
        model.named_parameters().GroupBy(p => p.name[..p.name.LastIndexOf('.')]).ToDictionary(g => g.Key, g => g.Sum(p => p.parameter.numel()));
}
