using AutoMLStudio.Core.Datasets;
using Microsoft.AspNetCore.Components;

namespace AutoMLStudio.Web.Components.Pages.Datasets.Columns;

public partial class ColumnsPanel
{
    private string? _label;
    private string? _task; // the select's word; the request sends it as the API does
    private Dictionary<string, string> _types = [];
    private (IReadOnlyList<ColumnSpec> Columns, string? Label, DatasetTask? Task)? _shown;

    [Parameter, EditorRequired] public IReadOnlyList<ColumnSpec> Columns { get; set; } = [];
    [Parameter, EditorRequired] public string? LabelColumn { get; set; }
    [Parameter, EditorRequired] public DatasetTask? Task { get; set; }
    [Parameter] public string? Error { get; set; }
    [Parameter] public bool Busy { get; set; }
    [Parameter] public bool ReadOnly { get; set; }
    [Parameter] public EventCallback<ChangeDatasetSchemaRequest> OnSave { get; set; }

    /// <summary>Regression needs a label column of numbers only.</summary>
    private bool CanRegress => Columns.FirstOrDefault(c => c.Name == _label)?.AllNumeric == true;

    private string? Problem => _task == DatasetTasks.Regression.Name() && !CanRegress
        ? $"Regression predicts a number, but column '{_label}' holds values that are not numbers. Choose classification or a numeric column."
        : null;

    private bool Changed => _label != LabelColumn || _task != Task?.Name() || Columns.Any(c => TypeOf(c) != c.Type);

    protected override void OnParametersSet()
    {
        // Reset the choices only when the stored schema changes (after a save), not on every render of the page.
        if (_shown is { } shown && shown.Label == LabelColumn && shown.Task == Task && shown.Columns.SequenceEqual(Columns)) return;
        _shown = (Columns, LabelColumn, Task);
        _label = LabelColumn;
        _task = Task?.Name();
        _types = Columns.ToDictionary(c => c.Name, c => c.Type);
    }

    /// <summary>Numeric only where every value is a number; the other types fit any column.</summary>
    public static IEnumerable<string> TypesFor(ColumnSpec column) =>
        ColumnTypes.All.Where(t => t != ColumnTypes.Numeric || column.AllNumeric);

    private string TypeOf(ColumnSpec column) => _types.GetValueOrDefault(column.Name, column.Type);

    private string RoleOf(ColumnSpec column) =>
        column.Name == _label ? "label" : TypeOf(column) == ColumnTypes.Identifier ? "ignored" : "feature";

    private Task SaveAsync()
    {
        var types = Columns.Where(c => TypeOf(c) != c.Type).ToDictionary(c => c.Name, TypeOf);
        // A new label column without a task change lets the server propose the task for it.
        var task = _task != Task?.Name() || _label == LabelColumn ? _task : null;
        return OnSave.InvokeAsync(new ChangeDatasetSchemaRequest(_label == LabelColumn ? null : _label, task, types.Count == 0 ? null : types));
    }
}
