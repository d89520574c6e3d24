using AutoMLStudio.Engine.Analysis;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Engine.Tests.Analysis;

public sealed class HyperparameterImportanceTests
{
    private static readonly ParameterSpace Space = new(
        ParameterDimension.FloatRange("dropout", 0, 0.5),
        ParameterDimension.FloatRange("learningRate", 1e-5, 1e-1, log: true),
        ParameterDimension.IntRange("layers", 1, 4),
        ParameterDimension.Categorical("optimizer", "adam", "sgd", "rmsprop"),
        ParameterDimension.Categorical("flip", "true", "false"));

    /// <summary>Trials drawn at random from the space, scored by <paramref name="metric"/> plus a little noise.</summary>
    private static List<ScoredPoint> Trials(ParameterSpace space, int count, Func<ParameterSet, double> metric, int seed = 7)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => space.Sample(rng)).Select(p => new ScoredPoint(p, metric(p) + 0.002 * (rng.NextDouble() - 0.5)))];
    }

    // Each objective is driven by one parameter, with small contributions from two others.
    private static double Accuracy(ParameterSet p, string dominant)
    {
        var dropout = 1 - p.GetDouble("dropout") * 2;
        var learningRate = 1 - Math.Abs(Math.Log10(p.GetDouble("learningRate")) + 3) / 2;
        var optimizer = p.GetString("optimizer") == "sgd" ? 0 : 1;
        var weights = dominant switch
        {
            "dropout" => (Dropout: 0.30, LearningRate: 0.03, Optimizer: 0.02),
            "learningRate" => (Dropout: 0.03, LearningRate: 0.30, Optimizer: 0.02),
            _ => (Dropout: 0.03, LearningRate: 0.02, Optimizer: 0.30),
        };
        return 0.5 + weights.Dropout * dropout + weights.LearningRate * learningRate + weights.Optimizer * optimizer;
    }

    [Theory]
    [InlineData("dropout")]
    [InlineData("learningRate")]
    [InlineData("optimizer")]
    public void The_parameter_that_drives_the_metric_is_ranked_first_with_most_of_the_variance(string dominant)
    {
        var estimate = HyperparameterImportance.Estimate(Space, Trials(Space, 40, p => Accuracy(p, dominant)));

        Assert.Equal(ImportanceOutcome.Estimated, estimate.Outcome);
        Assert.Equal(40, estimate.TrialCount);
        Assert.Equal(dominant, estimate.Parameters[0].Name);
        Assert.True(estimate.Parameters[0].Share > 0.5, $"{dominant} explains {estimate.Parameters[0].Share:P0}");
        Assert.All(estimate.Parameters.Skip(1), p => Assert.True(p.Share < 0.15, $"{p.Name} explains {p.Share:P0}"));
        Assert.Equal(Space.Dimensions.Select(d => d.Name).Order(), estimate.Parameters.Select(p => p.Name).Order());
        Assert.InRange(estimate.MainEffectsShare, 0.5, 1);
    }

    [Fact]
    public void The_dominant_choice_of_the_image_space_is_found_among_its_dimensions_over_three_hundred_trials()
    {
        var space = CnnParameterSpace.Create(new SearchSpaceContext(1, 28, 10, [0.3f], [0.3f], 5));
        var widths = new Dictionary<string, double> { ["8"] = 0.70, ["16"] = 0.78, ["24"] = 0.82, ["32"] = 0.85, ["48"] = 0.87, ["64"] = 0.88 };

        var estimate = HyperparameterImportance.Estimate(space,
            Trials(space, 300, p => widths[p.GetString("baseWidth")] + 0.01 * p.GetDouble("learningRatePosition")));

        Assert.Equal(space.Dimensions.Count, estimate.Parameters.Count);
        Assert.Equal("baseWidth", estimate.Parameters[0].Name);
        Assert.True(estimate.Parameters[0].Share > 0.5, $"baseWidth explains {estimate.Parameters[0].Share:P0}");
    }

    [Fact]
    public void The_same_trials_and_seed_give_the_same_shares_each_between_zero_and_one()
    {
        var trials = Trials(Space, 25, p => Accuracy(p, "learningRate"));

        var first = HyperparameterImportance.Estimate(Space, trials, seed: 3);
        var second = HyperparameterImportance.Estimate(Space, trials, seed: 3);

        Assert.Equal(first.Parameters, second.Parameters);
        Assert.All(first.Parameters, p => Assert.InRange(p.Share, 0, 1));
    }

    [Fact]
    public void A_constant_metric_has_nothing_to_explain_and_gives_no_shares_rather_than_nan()
    {
        var rng = new Random(1);
        var trials = Enumerable.Range(0, 12).Select(_ => new ScoredPoint(Space.Sample(rng), 0.5)).ToList();

        var estimate = HyperparameterImportance.Estimate(Space, trials);

        Assert.Equal(ImportanceOutcome.MetricConstant, estimate.Outcome);
        Assert.Equal(12, estimate.TrialCount);
        Assert.Empty(estimate.Parameters);
        Assert.Equal(0, estimate.MainEffectsShare);
    }

    [Fact]
    public void Fewer_than_five_usable_trials_give_no_estimate_and_points_outside_the_space_do_not_count()
    {
        var trials = Trials(Space, 6, p => Accuracy(p, "dropout"));
        // One configuration from an older space with a choice this one lacks, and one diverged trial.
        trials[0] = trials[0] with { Parameters = trials[0].Parameters.With("optimizer", "adagrad") };
        trials[1] = trials[1] with { Metric = double.NaN };

        var estimate = HyperparameterImportance.Estimate(Space, trials);

        Assert.Equal(ImportanceOutcome.TooFewTrials, estimate.Outcome);
        Assert.Equal(4, estimate.TrialCount);
        Assert.Empty(estimate.Parameters);
        Assert.Equal(ImportanceOutcome.Estimated, HyperparameterImportance.Estimate(Space, Trials(Space, 5, p => Accuracy(p, "dropout"))).Outcome);
    }

    [Fact]
    public void A_parameter_every_trial_left_the_same_is_marked_not_varied_and_explains_nothing()
    {
        var trials = Trials(Space, 30, p => Accuracy(p, "dropout"))
            .Select(t => t with { Parameters = t.Parameters.With("flip", "true") }).ToList();

        var flip = HyperparameterImportance.Estimate(Space, trials).Parameters.Single(p => p.Name == "flip");

        Assert.False(flip.Varied);
        Assert.Equal(0, flip.Share);
    }

    [Fact]
    public void Positions_follow_the_dimension_scale_log_where_it_is_log_and_choices_in_order()
    {
        var learningRate = (NumericDimension)Space.Dimensions[1];

        Assert.Equal(0.5, ParameterScale.Position(learningRate, 1e-3), 9);
        Assert.Equal(0.25, ParameterScale.Position(Space.Dimensions[0], 0.125), 9);
        Assert.Equal(0.5, ParameterScale.Position(Space.Dimensions[3], "sgd"));
        Assert.Equal(1, ParameterScale.Position(Space.Dimensions[3], "rmsprop"));
        Assert.Equal(0, ParameterScale.Position(learningRate, 1e-9));
        Assert.Equal(1e-3, ParameterScale.ValueAt(learningRate, 0.5), 12);
    }
}
