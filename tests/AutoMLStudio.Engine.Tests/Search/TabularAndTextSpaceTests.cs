using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Text;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Engine.Tests.Search;

public sealed class TabularAndTextSpaceTests
{
    private static readonly TabularSpaceContext Tabular = new(4, [5, 30], PredictionTask.Classification, 3, 2);
    private static readonly TextSpaceContext Text = new(900, 4, 3);

    [Fact]
    public void Decoded_tabular_points_stay_in_range_and_encode_back_to_themselves()
    {
        var space = TabularParameterSpace.Create();
        var rng = new Random(1);
        for (var i = 0; i < 200; i++)
        {
            var config = TabularParameterSpace.Decode(space.Sample(rng), Tabular);
            var (a, t) = (config.Architecture, config.Training);

            Assert.InRange(a.HiddenLayers, 1, 3);
            Assert.Contains(a.HiddenWidth, new[] { 32, 64, 128, 256 });
            Assert.InRange(a.Dropout, 0, 0.5);
            Assert.InRange(t.LearningRate, 1e-4, 1e-2);
            Assert.Equal(Tabular.MaxEpochs, t.Epochs);
            Assert.Equal(4, a.NumericFeatures);
            var encoded = TabularParameterSpace.Encode(config);
            Assert.True(space.Contains(encoded));
            Assert.Equal(config with { Architecture = a with { Cardinalities = [] } },
                TabularParameterSpace.Decode(encoded, Tabular) with { Architecture = a with { Cardinalities = [] } });
        }
    }

    [Fact]
    public void Decoded_text_points_use_only_their_familys_settings_and_encode_back_to_themselves()
    {
        var space = TextParameterSpace.Create();
        var rng = new Random(2);
        for (var i = 0; i < 200; i++)
        {
            var config = TextParameterSpace.Decode(space.Sample(rng), Text);
            var a = config.Architecture;

            if (a.Family == TextModelFamilies.Cnn)
            {
                Assert.Equal((0, 0), (a.BigramBuckets, a.HiddenUnits));
                Assert.Contains(a.Kernel, new[] { 3, 5 });
            }
            else
            {
                Assert.Equal((0, 0), (a.Kernel, a.Filters));
                Assert.Contains(a.BigramBuckets, new[] { 0, Text.BigramBuckets });
            }
            Assert.Equal(Text.VocabularySize, a.VocabularySize);
            var encoded = TextParameterSpace.Encode(config);
            Assert.True(space.Contains(encoded));
            Assert.Equal(config, TextParameterSpace.Decode(encoded, Text));
        }
    }

    [Theory]
    [InlineData("random")]
    [InlineData("tpe")]
    [InlineData("evolution")]
    public void Every_strategy_searches_both_spaces(string algorithm)
    {
        var tabular = SpaceStrategies.Create(algorithm, TabularParameterSpace.Create(), seed: 1, budget: 12);
        var text = SpaceStrategies.Create(algorithm, TextParameterSpace.Create(), seed: 1, budget: 12);
        for (var n = 1; n <= 12; n++)
        {
            var mlp = TabularParameterSpace.Decode(tabular.Ask(n), Tabular);
            var classifier = TextParameterSpace.Decode(text.Ask(n), Text);
            // A cheap stand-in objective: small, shallow models score best.
            tabular.Tell(n, TabularParameterSpace.Encode(mlp), -TabularCost.CountParameters(mlp.Architecture));
            text.Tell(n, TextParameterSpace.Encode(classifier), -TextCost.CountParameters(classifier.Architecture));
        }
    }
}
