using AutoMLStudio.Engine.Metrics;

namespace AutoMLStudio.Engine.Tests.Metrics;

public sealed class ObjectiveTests
{
    private static readonly ConfusionMatrix Confusion = new([[8, 2], [1, 9]]);

    [Theory]
    [InlineData("accuracy", 0.85)]
    [InlineData("macro_f1", 0.84962406015)] // class 0: P 8/9, R 0.8; class 1: P 9/11, R 0.9
    [InlineData("MACRO_F1", 0.84962406015)]
    public void Scores_a_confusion_matrix_with_the_named_metric(string name, double expected)
    {
        var objective = new Objective(MetricCatalog.Find(name)!);

        Assert.Equal(expected, objective.Score(Confusion), 9);
        Assert.Equal(MetricDirection.HigherIsBetter, objective.Metric.Direction);
    }

    [Fact]
    public void Cost_is_lower_is_better_and_weighs_each_mistake_by_its_cost()
    {
        // a missed positive (true 1, predicted 0) costs 10, a false alarm 1: (2·1 + 1·10) / 20.
        var objective = new Objective(MetricCatalog.Cost, [[0, 1], [10, 0]]);

        Assert.Equal(0.6, objective.Score(Confusion), 12);
        Assert.True(objective.Metric.LowerIsBetter);
        Assert.True(objective.Metric.IsBetter(0.5, 0.6));
        Assert.False(objective.Metric.IsBetter(0.6, 0.6));
        Assert.Equal(-0.6, objective.Metric.Maximised(0.6));
    }

    [Fact]
    public void Nan_is_never_better_and_ranks_last_when_maximised()
    {
        Assert.False(MetricCatalog.Accuracy.IsBetter(double.NaN, 0.1));
        Assert.True(MetricCatalog.Cost.IsBetter(5, double.NaN));
        Assert.Equal(double.NegativeInfinity, MetricCatalog.Cost.Maximised(double.NaN));
    }

    [Fact]
    public void Unknown_metric_names_are_not_found()
    {
        Assert.Null(MetricCatalog.Find("rmse_typo"));
        Assert.Null(MetricCatalog.Find(null));
    }

    [Fact]
    public void A_cost_matrix_goes_only_with_the_cost_metric()
    {
        Assert.Throws<ArgumentException>(() => new Objective(MetricCatalog.Cost));
        Assert.Throws<ArgumentException>(() => new Objective(MetricCatalog.Accuracy, [[0, 1], [1, 0]]));
    }

    public static TheoryData<double[]?[], int, string> BadCostMatrices => new()
    {
        { [[0, 1], [1, 0]], 3, "needs 3x3" },
        { [[0, 1, 1], null, [1, 1, 0]], 3, "Row 2 of the cost matrix is missing" },
        { [[0, 1, 1], [1, 0], [1, 1, 0]], 3, "Row 2 of the cost matrix has 2 numbers but needs 3" },
        { [[0, -1], [1, 0]], 2, "row 1, column 2 is -1" },
        { [[0, 1e300], [1, 0]], 2, "between 0 and 1,000,000" },
        { [[0, double.NaN], [1, 0]], 2, "NaN" },
        { [[0, 0], [0, 0]], 2, "must cost more than 0" },
        { [[5, 0], [0, 5]], 2, "must cost more than 0" },
        { [[0]], 1, "at least two classes" },
    };

    [Theory]
    [MemberData(nameof(BadCostMatrices))]
    public void Cost_matrix_problems_are_named(double[]?[] matrix, int classCount, string expected)
    {
        var problem = Objective.CostMatrixProblem(matrix, classCount);

        Assert.NotNull(problem);
        Assert.Contains(expected, problem);
    }

    [Fact]
    public void A_square_non_negative_matrix_with_one_costly_mistake_is_fine()
    {
        Assert.Null(Objective.CostMatrixProblem([[0, 0, 0], [0, 0, 10], [0, 0, 0]], 3));
    }
}
