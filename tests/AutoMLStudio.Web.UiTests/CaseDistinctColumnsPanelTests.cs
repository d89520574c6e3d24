using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Web.Components.Pages.Datasets.Columns;
using MudBlazor;

namespace AutoMLStudio.Web.UiTests;

/// <summary>Columns whose names differ only in letter case are two columns on the dataset page, each with its own row and type.</summary>
public sealed class CaseDistinctColumnsPanelTests : BunitTest
{
    [Fact]
    public async Task Columns_panel_shows_Age_and_age_as_two_rows_and_changes_the_type_of_the_one_chosen()
    {
        ColumnSpec[] columns =
        [
            new("Age", ColumnTypes.Numeric, ColumnTypes.Numeric, 6, 6, true, true),
            new("age", ColumnTypes.Numeric, ColumnTypes.Numeric, 0, 60, true, false),
            new("label", ColumnTypes.Categorical, ColumnTypes.Categorical, 0, 2, false, false),
        ];
        ChangeDatasetSchemaRequest? saved = null;
        var cut = Render<ColumnsPanel>(p => p.Add(c => c.Columns, columns).Add(c => c.LabelColumn, "label")
            .Add(c => c.Task, DatasetTasks.Classification).Add(c => c.OnSave, (ChangeDatasetSchemaRequest r) => saved = r));

        Assert.Equal(["Age", "age", "label"], cut.FindAll(".column-name").Select(e => e.TextContent));
        Assert.Equal(["Age", "age", "label"], cut.FindAll("tr.column-row").Select(e => e.GetAttribute("data-column")));
        Assert.Equal(["6", "0", "0"], cut.FindAll(".column-missing").Select(e => e.TextContent));

        // The selects are the label column, the task, then one type per column in order: change only "age".
        var ageType = cut.FindComponents<MudSelect<string>>()[3];
        await cut.InvokeAsync(() => ageType.Instance.ValueChanged.InvokeAsync(ColumnTypes.Categorical));
        cut.Find("button.save-schema").Click();

        Assert.NotNull(saved);
        Assert.Equal(new Dictionary<string, string> { ["age"] = ColumnTypes.Categorical }, saved.ColumnTypes);
    }
}
