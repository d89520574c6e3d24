using System.Text.Json;
using AutoMLStudio.Core.Datasets;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace AutoMLStudio.Web.Components.Pages.Labeling;

/// <summary>A row's new label; null clears it.</summary>
public sealed record RowLabel(DatasetItem Row, string? Label);

public partial class LabelRowsTable
{
    // A select cannot hold null as a choice; the empty string stands for "no label" (LabelItems trims it to null).
    private const string Unlabeled = "";

    private MudTable<DatasetItem>? _table;
    private IReadOnlyList<string> _columns = [];
    private Dictionary<Guid, Dictionary<string, string>> _values = [];

    [Parameter, EditorRequired] public DatasetKind Kind { get; set; }
    [Parameter, EditorRequired] public IReadOnlyList<string> Labels { get; set; } = [];
    [Parameter, EditorRequired] public Func<int, int, CancellationToken, Task<RowPage>> LoadRows { get; set; } = default!;
    [Parameter] public EventCallback<RowLabel> OnLabel { get; set; }
    [Parameter] public bool ReadOnly { get; set; }
    /// <summary>
    /// The table's label column: its cell is left out, because the cell keeps the value the file had while the Label
    /// column shows the label now, and the two would disagree after a relabel.
    /// </summary>
    [Parameter] public string? LabelColumn { get; set; }

    public Task ReloadAsync() => _table?.ReloadServerData() ?? Task.CompletedTask;

    private async Task<TableData<DatasetItem>> LoadAsync(TableState state, CancellationToken ct)
    {
        var page = await LoadRows(state.Page * state.PageSize, state.PageSize, ct);
        _values = page.Rows.ToDictionary(r => r.Id, r => Cells(r.ValuesJson));
        // Columns in the order the file has them; a row that lacks one shows an empty cell.
        _columns = _values.Values.SelectMany(v => v.Keys).Distinct().Where(c => c != LabelColumn).ToList();
        return new TableData<DatasetItem> { TotalItems = page.Total, Items = page.Rows };
    }

    private async Task LabelAsync(DatasetItem row, string? label)
    {
        var value = string.IsNullOrEmpty(label) ? null : label;
        await OnLabel.InvokeAsync(new RowLabel(row, value));
    }

    private static Dictionary<string, string> Cells(string? valuesJson)
    {
        if (string.IsNullOrWhiteSpace(valuesJson)) return [];
        using var json = JsonDocument.Parse(valuesJson);
        return json.RootElement.ValueKind != JsonValueKind.Object
            ? []
            : json.RootElement.EnumerateObject().ToDictionary(p => p.Name,
                p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.ValueKind == JsonValueKind.Null ? "" : p.Value.GetRawText());
    }
}
