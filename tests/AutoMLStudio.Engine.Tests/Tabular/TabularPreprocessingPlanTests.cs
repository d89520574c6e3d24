using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Training;
using static AutoMLStudio.Engine.Tests.Tabular.TabularTestData;

namespace AutoMLStudio.Engine.Tests.Tabular;

public sealed class TabularPreprocessingPlanTests
{
    private static TabularExamples Rows(params IReadOnlyDictionary<string, string?>[] rows) =>
        new(rows, SupervisedTargets.Classes(new int[rows.Length], 2));

    [Fact]
    public void Numeric_column_is_imputed_with_the_training_median_flagged_and_standardised()
    {
        var columns = new[] { new TabularColumn("age", TabularColumnTypes.Numeric) };
        var train = Rows(Row(("age", "10")), Row(("age", "20")), Row(("age", "NA")), Row(("age", "60")));

        var plan = TabularPreprocessingPlan.Fit(columns, train);
        var features = plan.Transform([Row(("age", "")), Row(("age", "20")), Row()]);

        Assert.Equal(["value", "missing"], plan.Numeric.Select(f => f.Part));
        Assert.Equal(20, plan.Numeric[0].Median);
        Assert.Equal(30, plan.Numeric[0].Scaling.Mean, 9);
        var z20 = (20 - 30) / plan.Numeric[0].Scaling.Scale;
        Assert.Equal([(float)z20, 1f, (float)z20, 0f, (float)z20, 1f], features.Numeric);
    }

    [Fact]
    public void Categorical_column_maps_unseen_values_to_other_and_missing_to_its_own_index()
    {
        var columns = new[] { new TabularColumn("city", TabularColumnTypes.Categorical) };
        var train = Rows(Row(("city", "Oslo")), Row(("city", "Bergen")), Row(("city", "Oslo")), Row(("city", "?")));

        var plan = TabularPreprocessingPlan.Fit(columns, train);
        var features = plan.Transform([Row(("city", " Oslo ")), Row(("city", "Bergen")), Row(("city", "Tromsø")), Row(("city", null)), Row()]);

        Assert.Equal(["Oslo", "Bergen"], plan.Categorical[0].Vocabulary);
        Assert.Equal([4], plan.Cardinalities);
        Assert.Equal([2L, 3L, CategoricalFeature.OtherIndex, CategoricalFeature.MissingIndex, CategoricalFeature.MissingIndex], features.Categorical);
    }

    [Fact]
    public void Identifier_text_and_empty_columns_are_dropped_with_a_reason_and_dates_become_parts()
    {
        TabularColumn[] columns =
        [
            new("id", TabularColumnTypes.Identifier),
            new("comment", TabularColumnTypes.Text),
            new("empty", TabularColumnTypes.Numeric),
            new("constant", TabularColumnTypes.Numeric),
            new("when", TabularColumnTypes.Date),
        ];
        var train = Rows(
            Row(("id", "a"), ("comment", "fine"), ("empty", ""), ("constant", "7"), ("when", "2024-01-31")),
            Row(("id", "b"), ("comment", "bad"), ("empty", "NA"), ("constant", "7"), ("when", "2025-06-01")));

        var plan = TabularPreprocessingPlan.Fit(columns, train);

        Assert.Equal(["id", "comment", "empty", "constant"], plan.Dropped.Select(d => d.Column));
        Assert.All(plan.Dropped, d => Assert.False(string.IsNullOrWhiteSpace(d.Reason)));
        // The hour never varies in date-only cells, so it carries nothing and is left out.
        Assert.Equal(["year", "month", "day", "weekday"], plan.Numeric.Select(f => f.Part));
    }

    [Fact]
    public void Missing_flags_follow_the_columns_kind_a_date_in_a_numeric_column_counts_as_missing()
    {
        TabularColumn[] columns = [new("x", TabularColumnTypes.Numeric), new("when", TabularColumnTypes.Date)];
        var train = Rows(Row(("x", "1"), ("when", "2024-01-01")), Row(("x", "3"), ("when", "")), Row(("x", ""), ("when", "2025-07-04")));

        var plan = TabularPreprocessingPlan.Fit(columns, train);
        var features = plan.Transform([Row(("x", "2024-01-01"), ("when", "2024-05-05")), Row(("x", "2"), ("when", "7"))]);

        var flags = plan.Numeric.Select((f, j) => (f.Part, j)).Where(p => p.Part.EndsWith("missing", StringComparison.Ordinal)).ToList();
        Assert.Equal(["missing", "date-missing"], flags.Select(f => f.Part));
        var width = features.NumericWidth;
        Assert.Equal([1f, 0f], flags.Select(f => features.Numeric[f.j]));
        Assert.Equal([0f, 1f], flags.Select(f => features.Numeric[width + f.j]));
    }

    [Fact]
    public void A_table_with_no_usable_column_is_refused_with_the_reasons()
    {
        var error = Assert.Throws<ArgumentException>(() => TabularPreprocessingPlan.Fit(
            [new TabularColumn("id", TabularColumnTypes.Identifier)], Rows(Row(("id", "1")), Row(("id", "2")))));

        Assert.Contains("'id'", error.Message);
    }

    [Fact]
    public void Plan_survives_json_and_transforms_exactly_as_before()
    {
        var train = ColorTable(50, seed: 1);
        var plan = TabularPreprocessingPlan.Fit(ColorColumns, train);

        var back = TabularPreprocessingPlan.FromJson(plan.ToJson());

        Assert.Equal(plan.ToJson(), back.ToJson());
        var test = ColorTable(20, seed: 2).Rows;
        Assert.Equal(plan.Transform(test), back.Transform(test), new FeaturesComparer());
    }

    [Fact]
    public void Huge_and_overflowing_numbers_give_finite_clipped_inputs()
    {
        var columns = new[] { new TabularColumn("x", TabularColumnTypes.Numeric) };
        var train = Rows(Row(("x", "1e308")), Row(("x", "-1.7e308")), Row(("x", "3")), Row(("x", "1e999")));

        var plan = TabularPreprocessingPlan.Fit(columns, train);
        var features = plan.Transform([Row(("x", "1e308")), Row(("x", "-1e308")), Row(("x", "1e999")), Row(("x", "0"))]);

        Assert.All(features.Numeric, v => Assert.True(float.IsFinite(v) && Math.Abs(v) <= 20, $"{v}"));
        Assert.Equal("missing", plan.Numeric[1].Part); // 1e999 overflows to infinity, which counts as missing
    }

    private sealed class FeaturesComparer : IEqualityComparer<TabularFeatures>
    {
        public bool Equals(TabularFeatures? x, TabularFeatures? y) =>
            x!.Numeric.SequenceEqual(y!.Numeric) && x.Categorical.SequenceEqual(y.Categorical) && x.Count == y.Count;

        public int GetHashCode(TabularFeatures obj) => obj.Count;
    }
}
