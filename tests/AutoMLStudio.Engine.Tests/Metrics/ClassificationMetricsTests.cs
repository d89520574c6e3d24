using System.Text.Json;
using AutoMLStudio.Engine.Metrics;
using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Engine.Tests.Metrics;

public sealed class ClassificationMetricsTests
{
    // 8 items; class 2 is never predicted. Hand-computed:
    //   class 0: precision 3/4, recall 3/4, F1 0.75, support 4
    //   class 1: precision 1/4, recall 1/2, F1 1/3,  support 2
    //   class 2: precision 0,   recall 0,   F1 0,    support 2
    private static readonly ConfusionMatrix ClassNeverPredicted = new([[3, 1, 0], [1, 1, 0], [0, 2, 0]]);

    [Fact]
    public void Accuracy_is_the_share_on_the_diagonal()
    {
        Assert.Equal(0.5, ClassificationMetrics.Accuracy(ClassNeverPredicted), 12);
    }

    [Fact]
    public void Per_class_scores_match_hand_computed_values_and_a_class_never_predicted_scores_zero()
    {
        var scores = ClassificationMetrics.PerClass(ClassNeverPredicted);

        Assert.Equal(new ClassScores(0.75, 0.75, 0.75, 4), scores[0]);
        Assert.Equal(0.25, scores[1].Precision, 12);
        Assert.Equal(0.5, scores[1].Recall, 12);
        Assert.Equal(1.0 / 3, scores[1].F1, 12);
        Assert.Equal(2, scores[1].Support);
        Assert.Equal(new ClassScores(0, 0, 0, 2), scores[2]);
    }

    [Fact]
    public void Macro_f1_averages_every_class_that_has_items_even_one_never_predicted()
    {
        Assert.Equal((0.75 + 1.0 / 3 + 0) / 3, ClassificationMetrics.MacroF1(ClassNeverPredicted), 12);
    }

    [Fact]
    public void Macro_f1_leaves_out_a_class_with_no_items_and_no_predictions()
    {
        // class 0: P 1, R 2/3, F1 0.8; class 1: P 3/4, R 1, F1 6/7; class 2 absent from this split.
        var confusion = new ConfusionMatrix([[2, 1, 0], [0, 3, 0], [0, 0, 0]]);

        Assert.Equal((0.8 + 6.0 / 7) / 2, ClassificationMetrics.MacroF1(confusion), 12);
    }

    [Fact]
    public void Macro_f1_counts_a_class_that_was_predicted_but_has_no_items_as_zero()
    {
        var confusion = new ConfusionMatrix([[2, 1], [0, 0]]);

        Assert.Equal((0.8 + 0) / 2, ClassificationMetrics.MacroF1(confusion), 12);
    }

    [Fact]
    public void Expected_cost_is_the_cost_weighted_count_of_mistakes_per_item()
    {
        double[][] cost = [[0, 1, 1], [10, 0, 1], [5, 5, 0]];

        // 1·1 (0 as 1) + 1·10 (1 as 0) + 2·5 (2 as 1) = 21 over 8 items.
        Assert.Equal(21.0 / 8, ClassificationMetrics.ExpectedCost(ClassNeverPredicted, cost), 12);
    }

    [Fact]
    public void An_all_zero_matrix_scores_zero_everywhere_without_dividing_by_zero()
    {
        var empty = new ConfusionMatrix(3);

        Assert.Equal(0, ClassificationMetrics.Accuracy(empty));
        Assert.Equal(0, ClassificationMetrics.MacroF1(empty));
        Assert.Equal(0, ClassificationMetrics.ExpectedCost(empty, [[0, 1, 1], [1, 0, 1], [1, 1, 0]]));
        Assert.All(ClassificationMetrics.PerClass(empty), s => Assert.Equal(new ClassScores(0, 0, 0, 0), s));
    }

    [Fact]
    public void Expected_cost_refuses_a_cost_matrix_of_another_size()
    {
        var error = Assert.Throws<ArgumentException>(() => ClassificationMetrics.ExpectedCost(ClassNeverPredicted, [[0, 1], [1, 0]]));

        Assert.Contains("3x3", error.Message);
    }

    [Fact]
    public void Confusion_matrix_compares_by_value_and_round_trips_as_plain_rows_in_json()
    {
        var json = JsonSerializer.Serialize(ClassNeverPredicted, EngineJson.Options);
        var back = JsonSerializer.Deserialize<ConfusionMatrix>(json, EngineJson.Options);

        Assert.Equal("[[3,1,0],[1,1,0],[0,2,0]]", json);
        Assert.Equal(ClassNeverPredicted, back);
        Assert.NotEqual(new ConfusionMatrix([[3, 1, 0], [1, 1, 0], [0, 1, 1]]), back);
    }
}
