using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Web.Components.Pages.Labeling;

namespace AutoMLStudio.Web.UiTests;

public sealed class GridSelectionTests
{
    private static GridSelection Grid(int count = 20)
    {
        var grid = new GridSelection();
        grid.Reset(count);
        return grid;
    }

    [Fact]
    public void Click_selects_only_the_clicked_item_and_focuses_it()
    {
        var grid = Grid();
        grid.Click(3);
        grid.Click(5);

        Assert.Equal([5], grid.Selected);
        Assert.Equal(5, grid.Focus);
    }

    [Fact]
    public void Ctrl_click_adds_and_removes_single_items()
    {
        var grid = Grid();
        grid.Click(2);
        grid.Click(7, toggle: true);
        grid.Click(9, toggle: true);
        grid.Click(2, toggle: true);

        Assert.Equal([7, 9], grid.Selected);
    }

    [Fact]
    public void Shift_click_selects_the_range_from_the_last_click_in_either_direction()
    {
        var grid = Grid();
        grid.Click(4);
        grid.Click(8, range: true);
        Assert.Equal([4, 5, 6, 7, 8], grid.Selected);

        grid.Click(1, range: true); // same anchor, other side: replaces the range
        Assert.Equal([1, 2, 3, 4], grid.Selected);
    }

    [Fact]
    public void Ctrl_shift_click_adds_a_range_to_the_selection()
    {
        var grid = Grid();
        grid.Click(0);
        grid.Click(10, toggle: true);
        grid.Click(12, toggle: true, range: true);

        Assert.Equal([0, 10, 11, 12], grid.Selected);
    }

    [Fact]
    public void Targets_are_the_selection_or_else_the_focused_item()
    {
        var grid = Grid();
        grid.Move(3);
        Assert.Equal([3], grid.Targets);

        grid.Click(6);
        grid.Click(7, toggle: true);
        Assert.Equal([6, 7], grid.Targets);

        grid.Clear();
        Assert.Equal([7], grid.Targets);
    }

    [Fact]
    public void Focus_moves_but_stays_inside_the_grid()
    {
        var grid = Grid(10);
        grid.Move(-1);
        Assert.Equal(0, grid.Focus);
        grid.Move(6);
        grid.Move(6);
        Assert.Equal(9, grid.Focus);
    }

    [Fact]
    public void An_empty_grid_has_no_focus_and_no_targets()
    {
        var grid = Grid(0);
        grid.Click(0);
        grid.Move(1);

        Assert.Equal(-1, grid.Focus);
        Assert.Empty(grid.Targets);
    }
}

public sealed class LabelShortcutsTests
{
    [Theory]
    [InlineData("1", 1)]
    [InlineData("5", 5)]
    [InlineData("9", 9)]
    public void Digits_assign_the_label_with_that_number(string key, int number) =>
        Assert.Equal(new LabelKey(LabelCommand.AssignLabel, number), LabelShortcuts.Map(key));

    [Theory]
    [InlineData("ArrowLeft", LabelCommand.MoveLeft)]
    [InlineData("ArrowRight", LabelCommand.MoveRight)]
    [InlineData("ArrowUp", LabelCommand.MoveUp)]
    [InlineData("ArrowDown", LabelCommand.MoveDown)]
    [InlineData("Enter", LabelCommand.Confirm)]
    [InlineData("u", LabelCommand.Undo)]
    [InlineData("U", LabelCommand.Undo)]
    [InlineData("Escape", LabelCommand.ClearSelection)]
    [InlineData("0", LabelCommand.None)]
    [InlineData("x", LabelCommand.None)]
    public void Keys_map_to_commands(string key, LabelCommand command) => Assert.Equal(command, LabelShortcuts.Map(key).Command);

    [Fact]
    public void Keys_with_ctrl_alt_or_meta_are_left_to_the_browser() =>
        Assert.Equal(LabelCommand.None, LabelShortcuts.Map("1", withModifier: true).Command);

    [Theory]
    [InlineData(LabelCommand.MoveLeft, -1)]
    [InlineData(LabelCommand.MoveRight, 1)]
    [InlineData(LabelCommand.MoveUp, -6)]
    [InlineData(LabelCommand.MoveDown, 6)]
    [InlineData(LabelCommand.Confirm, 1)]
    public void Up_and_down_move_by_a_row(LabelCommand command, int step) => Assert.Equal(step, LabelShortcuts.Step(command, columns: 6));

    [Fact]
    public void Undo_takes_back_the_newest_change_first()
    {
        var undo = new LabelUndo();
        var a = Guid.NewGuid();
        undo.Push(new UndoStep([(a, null)]));
        undo.Push(new UndoStep([(a, "cat")]));

        Assert.Equal("cat", undo.Pop()!.Previous[0].Label);
        Assert.Null(undo.Pop()!.Previous[0].Label);
        Assert.Null(undo.Pop());
    }
}

public sealed class LabelingComponentTests : BunitTest
{
    private const string Hostile = "<script>alert(1)</script>";

    [Fact]
    public void Legend_numbers_the_first_nine_labels_from_one()
    {
        var labels = Enumerable.Range(1, 11).Select(i => $"class-{i}").ToList();
        var cut = Render<LabelLegend>(p => p.Add(c => c.Labels, labels));

        var shown = cut.FindAll(".legend-label");
        Assert.Equal(9, shown.Count);
        Assert.Equal("1", shown[0].QuerySelector(".legend-key")!.TextContent);
        Assert.Equal("class-1", shown[0].QuerySelector(".legend-name")!.TextContent);
        Assert.Equal("9", shown[8].QuerySelector(".legend-key")!.TextContent);
        Assert.Equal("class-9", shown[8].QuerySelector(".legend-name")!.TextContent);
        Assert.Contains("undo", cut.Find(".legend-shortcuts").TextContent);
    }

    [Fact]
    public void Legend_shows_a_label_named_like_markup_as_text()
    {
        var cut = Render<LabelLegend>(p => p.Add(c => c.Labels, [Hostile]));

        Assert.Empty(cut.FindAll("script"));
        Assert.Equal(Hostile, cut.Find(".legend-name").TextContent);
    }

    [Fact]
    public void Rows_table_shows_text_rows_as_text_with_their_labels()
    {
        var rows = new List<DatasetItem> { Row(1, text: Hostile, label: "spam"), Row(2, text: "hello there", label: null) };
        var cut = Render<LabelRowsTable>(p => p.Add(c => c.Kind, DatasetKind.Text).Add(c => c.Labels, ["spam", "ham"])
            .Add(c => c.LoadRows, (skip, take, _) => Task.FromResult(new RowPage(rows.Count, rows.Skip(skip).Take(take).ToList()))));

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll(".row-text").Count));
        Assert.Empty(cut.FindAll("script"));
        Assert.Equal(Hostile, cut.FindAll(".row-text")[0].TextContent);
        Assert.Contains("&lt;script&gt;", cut.Markup);
        Assert.Equal("hello there", cut.FindAll(".row-text")[1].TextContent);
        Assert.Equal("spam", cut.FindAll(".row-label input")[0].GetAttribute("value"));
    }

    [Fact]
    public void Rows_table_shows_tabular_rows_with_a_column_per_value()
    {
        var rows = new List<DatasetItem>
        {
            Row(1, values: """{"sepal": "5.1", "petal": 1.4, "note": "<b>x</b>"}""", label: "setosa"),
            Row(2, values: """{"sepal": "6.3", "petal": 4.9}""", label: "virginica"),
        };
        var cut = Render<LabelRowsTable>(p => p.Add(c => c.Kind, DatasetKind.Tabular).Add(c => c.Labels, ["setosa", "virginica"])
            .Add(c => c.LoadRows, (_, _, _) => Task.FromResult(new RowPage(rows.Count, rows))));

        cut.WaitForAssertion(() => Assert.Equal(["sepal", "petal", "note"], cut.FindAll(".column-name").Select(h => h.TextContent)));
        var firstRow = cut.FindAll("tbody tr")[0].QuerySelectorAll(".row-cell").Select(c => c.TextContent).ToList();
        Assert.Equal(["5.1", "1.4", "<b>x</b>"], firstRow);
        Assert.Empty(cut.FindAll("tbody b"));
        Assert.Equal("", cut.FindAll("tbody tr")[1].QuerySelectorAll(".row-cell")[2].TextContent);
    }

    [Fact]
    public void The_label_columns_imported_cell_is_left_out_so_a_relabelled_row_shows_one_label()
    {
        var rows = new List<DatasetItem> { Row(1, values: """{"size": "3", "species": "setosa"}""", label: "virginica") };
        var cut = Render<LabelRowsTable>(p => p.Add(c => c.Kind, DatasetKind.Tabular).Add(c => c.Labels, ["setosa", "virginica"])
            .Add(c => c.LabelColumn, "species")
            .Add(c => c.LoadRows, (_, _, _) => Task.FromResult(new RowPage(rows.Count, rows))));

        cut.WaitForAssertion(() => Assert.Equal(["size"], cut.FindAll(".column-name").Select(h => h.TextContent)));
        Assert.Equal("virginica", cut.Find(".row-label input").GetAttribute("value"));
        Assert.DoesNotContain("setosa", cut.Find("tbody").TextContent);
    }

    [Fact]
    public void A_tile_shows_its_label_as_text_and_its_selected_and_focused_state()
    {
        var item = new Api.ItemDto(Guid.NewGuid(), Hostile, "a.png", 16, 16, "/thumb", 1, null, null);
        var cut = Render<LabelTile>(p => p.Add(c => c.Index, 3).Add(c => c.Item, item).Add(c => c.Selected, true).Add(c => c.Focused, true));

        Assert.Empty(cut.FindAll("script"));
        Assert.Equal(Hostile, cut.Find(".tile-label").TextContent);
        Assert.Contains("selected", cut.Find(".label-tile").ClassList);
        Assert.Contains("focused", cut.Find(".label-tile").ClassList);
    }

    private static DatasetItem Row(int index, string? text = null, string? values = null, string? label = null) => new()
    {
        OriginalName = $"row-{index}", ContentHash = $"h{index}", SourceIndex = index, Text = text, ValuesJson = values, Label = label,
    };
}
