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
    [InlineData("random", false)]
    [InlineData("tpe", true)]
    [InlineData("evolution", true)]
    public void Every_strategy_searches_both_spaces(string algorithm, bool learns)
    {
        const int trials = 40;
        var tabularSpace = TabularParameterSpace.Create();
        var textSpace = TextParameterSpace.Create();
        var families = new HashSet<string>();
        // A cheap stand-in objective: small models score best.
        double TabularScore(ParameterSet p) => -Math.Log(TabularCost.CountParameters(TabularParameterSpace.Decode(p, Tabular).Architecture));
        double TextScore(ParameterSet p)
        {
            var classifier = TextParameterSpace.Decode(p, Text);
            families.Add(classifier.Architecture.Family);
            return -Math.Log(TextCost.CountParameters(classifier.Architecture));
        }

        var searched = new[]
        {
            ("tabular", Search(algorithm, tabularSpace, trials, TabularScore), RandomDraws.MeanScore(tabularSpace, TabularScore)),
            ("text", Search(algorithm, textSpace, trials, TextScore), RandomDraws.MeanScore(textSpace, TextScore)),
        };

        Assert.Equal([TextModelFamilies.Cnn, TextModelFamilies.EmbeddingBag], families.Order());
        foreach (var (space, asked, random) in searched)
        {
            Assert.True(asked.Select(a => a.Parameters).Distinct().Count() > trials / 2, $"{space}: {algorithm} asks the same points again and again");
            if (!learns) continue;
            // The last ten asks come from what the strategy was told, so they must beat a random draw of the space (by
            // 0.4, a third fewer parameters); a strategy that ignored Tell would draw them at random.
            var late = asked.TakeLast(10).Average(a => a.Score);
            Assert.True(late > random + 0.4, $"{space}: {algorithm}'s last ten asks average {late:F2}, a random draw {random:F2} (-log parameters)");
        }
    }

    // Asks, checks that every point is inside the space, scores it and tells the strategy.
    private static List<(ParameterSet Parameters, double Score)> Search(string algorithm, ParameterSpace space, int trials, Func<ParameterSet, double> score)
    {
        var strategy = SearchStrategies.Create(algorithm, space, seed: 1, budget: trials);
        var asked = new List<(ParameterSet, double)>();
        for (var n = 1; n <= trials; n++)
        {
            var p = strategy.Ask(n);
            Assert.True(space.Contains(p), $"{algorithm} asked {p}, outside the space");
            var value = score(p);
            strategy.Tell(n, p, value);
            asked.Add((p, value));
        }
        return asked;
    }
}
