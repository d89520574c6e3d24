using AutoMLStudio.Engine.Ensembles;
using AutoMLStudio.Engine.Metrics;

namespace AutoMLStudio.Engine.Tests.Ensembles;

public sealed class GreedyEnsembleSelectionTests
{
    // Six examples of two classes; each of models A, B and C is wrong (0.6 on the other class) on its own two examples and
    // sure (0.9) on the rest, so any one scores 4/6 while their average is right everywhere. D is right only by chance.
    private static readonly int[] Labels = [0, 1, 0, 1, 0, 1];

    private static ModelPredictions Model(params int[] wrong) =>
        new([.. Labels.Select((label, i) => wrong.Contains(i) ? Row(label, 0.4f) : Row(label, 0.9f))], null);

    private static float[] Row(int label, float onTruth) => label == 0 ? [onTruth, 1 - onTruth] : [1 - onTruth, onTruth];

    [Fact]
    public void Picks_the_models_whose_mistakes_differ_and_leaves_out_the_weak_one()
    {
        ModelPredictions[] library = [Model(0, 1), Model(2, 3), Model(4, 5), Model(0, 2, 4)];

        var selection = GreedyEnsembleSelection.Select(library, EnsembleScoring.Classifier(Labels, 2, objective: null));

        Assert.Equal(1.0, selection.Score.Metric);
        Assert.Equal(4.0 / 6, selection.BestSingle.Score.Metric, 12);
        Assert.Equal(0, selection.BestSingle.Index);
        // A and B alone already get every example right; adding C lowers the log-loss (every truth at 0.73 instead of 0.65 or 0.9).
        double[] expected = [1.0 / 3, 1.0 / 3, 1.0 / 3, 0];
        for (var m = 0; m < expected.Length; m++) Assert.Equal(expected[m], selection.Weights[m], 12);
        Assert.Equal(3, selection.Rounds);
        Assert.Equal([0, 1, 2], selection.Members);
        Assert.Equal(1.0, selection.Weights.Sum(), 12);
    }

    [Fact]
    public void Regression_averages_predictors_with_independent_errors_and_weights_sum_to_one()
    {
        var rng = new Random(3);
        var targets = Enumerable.Range(0, 200).Select(_ => rng.NextDouble() * 10).ToArray();
        ModelPredictions Noisy(double bias, double spread) => new(null, [.. targets.Select(t => t + bias + spread * (rng.NextDouble() - 0.5))]);
        ModelPredictions[] library = [Noisy(0, 2), Noisy(0, 2), Noisy(0, 2), Noisy(3, 0.1)];

        var selection = GreedyEnsembleSelection.Select(library, EnsembleScoring.Regression(targets, "rmse"));

        Assert.True(selection.Score.Metric < selection.BestSingle.Score.Metric * 0.7,
            $"ensemble rmse {selection.Score.Metric:0.###} against the best model's {selection.BestSingle.Score.Metric:0.###}");
        Assert.Equal(0, selection.Weights[3]);
        Assert.True(selection.Members.Count >= 2);
        Assert.Equal(1.0, selection.Weights.Sum(), 12);
        Assert.All(selection.Weights, w => Assert.Equal(0, w * selection.Rounds - Math.Round(w * selection.Rounds), 9));
    }

    [Fact]
    public void A_cost_matrix_objective_is_minimised()
    {
        // Calling a 1 a 0 costs 10; every model's mistakes are of that kind, so the ensemble that makes none costs nothing.
        var selection = GreedyEnsembleSelection.Select([Model(1), Model(3), Model(5)],
            EnsembleScoring.Classifier(Labels, 2, new Objective(MetricCatalog.Cost, [[0, 1], [10, 0]])));

        Assert.Equal(0, selection.Score.Metric);
        Assert.True(selection.BestSingle.Score.Metric > 0);
    }

    [Fact]
    public void Models_of_different_lengths_are_refused()
    {
        Assert.Throws<ArgumentException>(() => GreedyEnsembleSelection.Select([Model(0), new ModelPredictions([[1f, 0f]], null)],
            EnsembleScoring.Classifier(Labels, 2, objective: null)));
    }
}
