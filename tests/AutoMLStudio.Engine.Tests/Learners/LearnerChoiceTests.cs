using System.Text.Json;
using AutoMLStudio.Engine.Analysis;
using AutoMLStudio.Engine.Learners;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Tests.Tabular;
using AutoMLStudio.Engine.Tests.Text;
using AutoMLStudio.Engine.Text;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Engine.Tests.Learners;

public sealed class LearnerChoiceTests
{
    private static readonly TabularPreprocessingPlan Plan =
        TabularPreprocessingPlan.Fit(TabularTestData.ColorColumns, TabularTestData.ColorTable(60, seed: 1));

    private static readonly TextTokenizer Tokenizer = TextTokenizer.Fit(TextTestData.Reviews(60, seed: 2).Texts, maxVocabulary: 1000);

    // Data both the MLP and the text classifiers serve: a choice of two learners, as tables will have once the tree
    // learners serve them too.
    private static readonly DataProfile Both = new(PredictionTask.Classification, ClassCount: 2, MaxEpochs: 3, Plan: Plan, Tokenizer: Tokenizer);

    private static LearnerChoice TwoLearners() => new([new TextLearner(), new TabularMlpLearner()], Both);

    [Fact]
    public void The_space_is_a_learner_choice_then_each_learners_dimensions_under_its_name_cheapest_learner_first()
    {
        var choice = TwoLearners();

        Assert.Equal(["mlp", "text"], choice.Learners.Select(l => l.Name));
        var learner = Assert.IsType<CategoricalDimension>(choice.Space.Dimensions[0]);
        Assert.Equal(LearnerChoice.Dimension, learner.Name);
        Assert.Equal(["mlp", "text"], learner.Choices);
        Assert.Equal(
            TabularParameterSpace.Create().Dimensions.Select(d => $"mlp.{d.Name}").Concat(TextParameterSpace.Create().Dimensions.Select(d => $"text.{d.Name}")),
            choice.Space.Dimensions.Skip(1).Select(d => d.Name));
    }

    [Fact]
    public void Every_candidate_of_every_learner_names_its_learner_and_reads_back_to_the_same_configuration()
    {
        var choice = TwoLearners();
        var strategy = SearchStrategies.Create("random", choice.Space, seed: 3, budget: 40);
        var seen = new HashSet<string>();
        for (var number = 1; number <= 40; number++)
        {
            var point = strategy.Ask(number);
            var candidate = choice.Decode(point);
            var name = point.GetString(LearnerChoice.Dimension);
            seen.Add(name);

            Assert.StartsWith($"{{\"learner\":\"{name}\",", candidate.ConfigJson);
            Assert.Equal(name, LearnerChoice.LearnerOf(candidate.ConfigJson, "none"));
            // The learner's own reading ignores the member: the rest is exactly what it proposed on its own.
            var own = LearnerCatalog.Named(name);
            Assert.Equal(own.Decode(own.Encode(candidate.ConfigJson), Both).ConfigJson, own.Configuration(candidate.ConfigJson).GetRawText());
            var encoded = choice.Encode(candidate.ConfigJson, "none");
            Assert.True(choice.Space.Contains(encoded));
            Assert.Equal(candidate, choice.Decode(encoded));
            Assert.True(candidate.Parameters > 0 && candidate.Flops > 0);
        }
        Assert.Equal(["mlp", "text"], seen.Order());
    }

    [Fact]
    public void A_configuration_stored_before_the_choice_reads_as_the_tasks_old_learner()
    {
        var choice = TwoLearners();
        var mlp = new TabularMlpLearner();
        var text = new TextLearner();
        var oldMlp = mlp.Decode(mlp.StartingPoints(Both)[0], Both).ConfigJson;
        var oldText = text.Decode(TextParameterSpace.Create().Sample(new Random(4)), Both).ConfigJson;
        Assert.DoesNotContain("learner", oldMlp);

        Assert.Equal("mlp", LearnerChoice.LearnerOf(oldMlp, "mlp"));
        Assert.Equal("text", LearnerChoice.LearnerOf(oldText, "text"));
        var point = choice.Encode(oldText, "text");
        Assert.Equal("text", point.GetString(LearnerChoice.Dimension));
        Assert.Equal(LearnerChoice.Named(oldText, "text"), choice.Decode(point).ConfigJson);
        Assert.Equal(oldMlp, JsonDocument.Parse(choice.Decode(choice.Encode(oldMlp, "mlp")).ConfigJson).RootElement.EnumerateObject()
            .Where(m => m.Name != "learner").Aggregate("{", (json, m) => json + (json == "{" ? "" : ",") + m) + "}");
        // Another learner's dimensions are filled with its first starting point, so every old trial has one point.
        Assert.Equal(text.StartingPoints(Both)[0]["embeddingWidth"], choice.Encode(oldMlp, "mlp")["text.embeddingWidth"]);
        Assert.Throws<ArgumentException>(() => choice.Encode(oldMlp, "lightgbm-not-here"));
    }

    [Fact]
    public void The_first_points_are_each_learners_starting_points_round_robin_cheapest_learner_first()
    {
        var choice = TwoLearners();

        Assert.Equal(["mlp", "text"], choice.StartingPoints.Select(p => p.GetString(LearnerChoice.Dimension)));
        var mlp = new TabularMlpLearner();
        Assert.Equal(mlp.Decode(mlp.StartingPoints(Both)[0], Both).ConfigJson,
            mlp.Configuration(choice.Decode(choice.StartingPoints[0]).ConfigJson).GetRawText());
        Assert.All(choice.StartingPoints, p => Assert.True(choice.Space.Contains(p)));

        // The catalog's choice for a table: the learners that serve it, in the cost order, each with its starting points.
        var table = new DataProfile(PredictionTask.Classification, 3, 3, Plan: Plan);
        var catalog = LearnerChoice.For(table);
        var serving = LearnerCatalog.All.Where(l => l.Serves(table)).ToList();
        Assert.Equal(serving.Select(l => l.Name).Order(), catalog.Learners.Select(l => l.Name).Order());
        Assert.Equal(catalog.Learners.Select(l => l.Name).OrderBy(Rank), catalog.Learners.Select(l => l.Name));
        Assert.Equal(serving.Sum(l => l.StartingPoints(table).Count), catalog.StartingPoints.Count);
        Assert.Equal(catalog.Learners.Where(l => l.StartingPoints(table).Count > 0).Select(l => l.Name),
            catalog.StartingPoints.Take(catalog.Learners.Count(l => l.StartingPoints(table).Count > 0)).Select(p => p.GetString(LearnerChoice.Dimension)));
    }

    private static int Rank(string name) => LearnerChoice.CostOrder.Contains(name) ? LearnerChoice.CostOrder.ToList().IndexOf(name) : LearnerChoice.CostOrder.Count;

    [Fact]
    public void Starting_points_come_first_then_the_strategy_which_is_told_every_trial_and_answers_retries()
    {
        var choice = TwoLearners();
        var wrapped = new StartingPointsFirst(new TpeStrategy(choice.Space, seed: 5, startupTrials: 2), choice.StartingPoints);
        var bare = new TpeStrategy(choice.Space, seed: 5, startupTrials: 2);

        Assert.Equal(choice.StartingPoints[0], wrapped.Ask(1));
        Assert.Equal(choice.StartingPoints[1], wrapped.Ask(2));
        Assert.Equal(bare.Ask(3), wrapped.Ask(3));
        // A starting point over a limit is retried as number + attempt * stride: the strategy's point, not the same again.
        Assert.Equal(bare.Ask(1 + SearchStrategies.RetryStride), wrapped.Ask(1 + SearchStrategies.RetryStride));
        Assert.NotEqual(choice.StartingPoints[0], wrapped.Ask(1 + SearchStrategies.RetryStride));

        for (var number = 1; number <= 4; number++)
        {
            var point = wrapped.Ask(number);
            wrapped.Tell(number, point, point.GetString(LearnerChoice.Dimension) == "mlp" ? 0.9 : 0.1 * number);
            bare.Tell(number, point, point.GetString(LearnerChoice.Dimension) == "mlp" ? 0.9 : 0.1 * number);
        }
        Assert.Equal(bare.Ask(5), wrapped.Ask(5));
        Assert.Equal(bare.Ask(9), wrapped.Ask(9));
    }

    [Fact]
    public void Importance_over_mixed_learners_reads_the_most_tried_learner_on_its_own_trials()
    {
        var choice = TwoLearners();
        var rng = new Random(6);
        var trials = new List<ScoredPoint>();
        for (var i = 0; i < 24; i++)
        {
            var point = choice.Space.Sample(rng).With(LearnerChoice.Dimension, i % 3 == 0 ? "text" : "mlp");
            var metric = point.GetString(LearnerChoice.Dimension) == "mlp" ? point.GetDouble("mlp.hiddenLayers") : 10 + rng.NextDouble();
            trials.Add(new ScoredPoint(point, metric));
        }

        var (space, used) = LearnerChoice.ImportanceFocus(choice.Space, trials);

        Assert.All(space.Dimensions, d => Assert.StartsWith("mlp.", d.Name));
        Assert.Equal(16, used.Count);
        var estimate = HyperparameterImportance.Estimate(space, used);
        Assert.Equal("mlp.hiddenLayers", estimate.Parameters[0].Name);
        Assert.True(LearnerChoice.IsActive("mlp.dropout", trials[1].Parameters));
        Assert.False(LearnerChoice.IsActive("text.dropout", trials[1].Parameters));
        Assert.True(LearnerChoice.IsActive(LearnerChoice.Dimension, trials[1].Parameters));
    }

    [Fact]
    public void A_learner_without_words_of_its_own_shows_every_setting_of_its_configuration()
    {
        var mlp = new TabularMlpLearner();
        var config = LearnerChoice.Named(mlp.Decode(mlp.StartingPoints(Both)[0], Both).ConfigJson, "mlp");

        var settings = ((ILearner)mlp).Settings(config);

        Assert.Contains(new LearnerSetting("Hidden width", "128"), settings);
        Assert.Contains(new LearnerSetting("Learning rate", "0.003", Training: true), settings);
        Assert.DoesNotContain(settings, s => s.Name == "Learner");
        Assert.Equal("Number of leaves", LearnerSettings.Words("numberOfLeaves"));
    }
}
