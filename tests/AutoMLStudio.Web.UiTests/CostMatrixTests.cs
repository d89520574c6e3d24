using AutoMLStudio.Core.Searches;
using AutoMLStudio.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace AutoMLStudio.Web.UiTests;

public sealed class CostMatrixTests : BunitTest
{
    private static readonly string[] Classes = ["cat", "dog", "<b>fox</b>"];

    private static TrainFormModel CostForm()
    {
        var model = new TrainFormModel { Metric = "cost" };
        model.UseClasses(Classes);
        return model;
    }

    [Fact]
    public void A_new_matrix_charges_nothing_for_correct_answers_and_one_for_each_mistake()
    {
        var matrix = new CostMatrixModel(Classes);

        Assert.Equal([[0, 1, 1], [1, 0, 1], [1, 1, 0]], matrix.ToArray());
        Assert.Null(matrix.Problem());
    }

    [Fact]
    public void Empty_negative_and_huge_cells_are_errors_that_name_the_fix()
    {
        var matrix = new CostMatrixModel(Classes);
        matrix[0, 1] = null;
        matrix[1, 0] = -2;
        matrix[2, 0] = 5e6;

        Assert.Equal("Enter a number.", matrix.CellError(0, 1));
        Assert.Equal("Costs cannot be negative.", matrix.CellError(1, 0));
        Assert.Equal("At most 1,000,000.", matrix.CellError(2, 0));
        Assert.Null(matrix.CellError(0, 2));
        Assert.Equal("3 costs need fixing.", matrix.Problem());
    }

    [Fact]
    public void A_matrix_where_no_mistake_costs_anything_is_refused()
    {
        var matrix = new CostMatrixModel(["a", "b"]);
        matrix[0, 1] = 0;
        matrix[1, 0] = 0;

        Assert.Contains("must cost more than 0", matrix.Problem());
    }

    [Fact]
    public void The_matrix_the_user_filled_survives_a_rerender_with_the_same_classes_and_resets_for_new_ones()
    {
        var model = CostForm();
        model.CostMatrix![2, 0] = 10;

        model.UseClasses(["cat", "dog", "<b>fox</b>"]);
        Assert.Equal(10, model.CostMatrix![2, 0]);

        model.UseClasses(["cat", "dog"]);
        Assert.Equal(2, model.CostMatrix!.Classes.Count);
        Assert.Equal(1, model.CostMatrix[1, 0]);
    }

    [Fact]
    public void The_request_carries_the_metric_the_costs_and_the_limits()
    {
        var model = CostForm();
        model.CostMatrix![2, 0] = 10;
        model.MaxParams = 50_000;
        model.MaxFlops = 2_000_000;
        var dataset = Guid.NewGuid();

        var request = model.ToRequest(dataset);

        Assert.Equal(dataset, request.DatasetId);
        Assert.Equal("cost", request.Objective!.Metric);
        Assert.Equal([[0, 1, 1], [1, 0, 1], [10, 1, 0]], request.Objective.CostMatrix!);
        Assert.Equal((50_000L, 2_000_000L), (request.Objective.Constraints!.MaxParams, request.Objective.Constraints.MaxFlops));
        Assert.Equal(((int?)null, 10.0, (int?)null), (request.Budget!.MaxTrials, request.Budget.MaxMinutes, request.Budget.MaxEpochsPerTrial));
    }

    [Fact]
    public void Other_metrics_send_no_cost_matrix_and_no_empty_limits()
    {
        var model = CostForm();
        model.Metric = "macro_f1";

        var request = model.ToRequest(Guid.NewGuid());

        Assert.Equal("macro_f1", request.Objective!.Metric);
        Assert.Null(request.Objective.CostMatrix);
        Assert.Null(request.Objective.Constraints);
    }

    [Fact]
    public async Task The_editor_shows_class_names_as_text_with_true_classes_as_rows_and_an_inline_error_per_bad_cell()
    {
        var started = 0;
        var cut = Render<TrainForm>(p => p
            .Add(c => c.Model, CostForm())
            .Add(c => c.Classes, Classes)
            .Add(c => c.OnStart, (TrainFormModel _) => started++));

        Assert.Equal(9, cut.FindAll(".cost-matrix td input").Count);
        Assert.Contains("&lt;b&gt;fox&lt;/b&gt;", cut.Find(".cost-matrix tbody tr:nth-child(3) th").InnerHtml);
        Assert.Empty(cut.FindAll(".cost-matrix b"));

        cut.Find("#cost-2-0").Input("-1");
        await cut.Find("button.start-training").ClickAsync(new MouseEventArgs());

        Assert.Contains("Costs cannot be negative.", cut.Find(".cost-matrix").TextContent);
        Assert.Contains("Cost of mistakes: One cost needs fixing.", cut.Find(".train-form-errors").TextContent);
        Assert.Equal(0, started);
    }

    [Fact]
    public async Task A_filled_matrix_starts_the_search_with_the_typed_cost()
    {
        TrainFormModel? started = null;
        var cut = Render<TrainForm>(p => p
            .Add(c => c.Model, CostForm())
            .Add(c => c.Classes, Classes)
            .Add(c => c.OnStart, (TrainFormModel m) => started = m));

        cut.Find("#cost-1-0").Input("10");
        await cut.Find("#max-params").ChangeAsync(new ChangeEventArgs { Value = "40000" });
        await cut.Find("button.start-training").ClickAsync(new MouseEventArgs());

        Assert.NotNull(started);
        Assert.Equal(10, started.ToRequest(Guid.Empty).Objective!.CostMatrix![1]![0]);
        Assert.Equal(40_000, started.MaxParams);
    }

    [Fact]
    public void The_metric_picker_explains_the_chosen_metric_in_plain_words()
    {
        var cut = Render<TrainForm>(p => p.Add(c => c.Model, new TrainFormModel { Metric = "macro_f1" }).Add(c => c.Classes, Classes));

        Assert.Contains("every class counts the same - for imbalanced data", cut.Markup);
        Assert.Empty(cut.FindAll(".cost-matrix"));
    }

    [Theory]
    [InlineData(SearchTasks.TabularClassification)]
    [InlineData(SearchTasks.TextClassification)]
    public async Task Table_and_text_classifiers_take_a_cost_matrix_too(SearchTask task)
    {
        TrainFormModel? started = null;
        var cut = Render<TrainForm>(p => p
            .Add(c => c.Model, CostForm())
            .Add(c => c.Task, task)
            .Add(c => c.Classes, Classes)
            .Add(c => c.OnStart, (TrainFormModel m) => started = m));

        Assert.Equal(9, cut.FindAll(".cost-matrix td input").Count);
        cut.Find("#cost-0-1").Input("7");
        await cut.Find("button.start-training").ClickAsync(new MouseEventArgs());

        Assert.NotNull(started);
        var objective = started.ToRequest(Guid.Empty).Objective!;
        Assert.Equal(("cost", 7.0), (objective.Metric, objective.CostMatrix![0]![1]));
    }
}
