using AutoMLStudio.Core;
using AutoMLStudio.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace AutoMLStudio.Web.Components.Pages.Labeling;

public partial class LabelManager
{
    private string? _newName;
    private string? _renaming;
    private string? _renameTo;
    private readonly List<string> _merging = [];
    private string? _mergeInto;
    private readonly BusyAction _change = new();

    [Parameter, EditorRequired] public Guid DatasetId { get; set; }
    [Parameter, EditorRequired] public string? UserId { get; set; }
    [Parameter, EditorRequired] public IReadOnlyList<string> Labels { get; set; } = [];
    [Parameter, EditorRequired] public LabelCounts Counts { get; set; } = LabelCounts.Empty;
    [Inject] private LabelingData Data { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private async Task CreateAsync()
    {
        if (await Run(ct => Data.CreateLabelAsync(DatasetId, _newName, UserId, ct))) _newName = null;
    }

    private async Task NewNameKeyUp(KeyboardEventArgs e)
    {
        if (e.Key == "Enter") await CreateAsync();
    }

    private void StartRename(string label) => (_renaming, _renameTo) = (label, label);

    private async Task RenameAsync()
    {
        if (_renaming is null) return;
        if (_renameTo?.Trim() == _renaming || await Run(ct => Data.RenameAsync(DatasetId, _renaming, _renameTo, UserId, ct))) _renaming = null;
    }

    private async Task RenameKeyUp(KeyboardEventArgs e)
    {
        if (e.Key == "Enter") await RenameAsync();
        if (e.Key == "Escape") _renaming = null;
    }

    private void ToggleMerge(string label, bool on)
    {
        if (on) _merging.Add(label);
        else _merging.Remove(label);
        if (_mergeInto is not null && !_merging.Contains(_mergeInto)) _mergeInto = null;
    }

    private async Task MergeAsync()
    {
        if (_mergeInto is not { } into) return;
        var from = _merging.Where(l => l != into).ToList();
        if (await Run(ct => Data.MergeAsync(DatasetId, from, into, UserId, ct)))
        {
            Snackbar.Add($"Merged {string.Join(", ", from)} into {into}.", Severity.Success);
            _merging.Clear();
            _mergeInto = null;
        }
    }

    private async Task DeleteAsync(string label)
    {
        var count = Counts.Of(label);
        var confirmed = await Dialogs.ShowMessageBoxAsync($"Delete the label '{label}'?",
            $"The {count} item(s) with this label become unlabeled. No item is deleted.", yesText: "Delete label", cancelText: "Cancel");
        if (confirmed == true) await Run(ct => Data.DeleteLabelAsync(DatasetId, label, UserId, ct));
    }

    /// <summary>Runs a change; a refusal (empty name, name taken) is shown next to the form, never thrown.</summary>
    private Task<bool> Run(Func<CancellationToken, Task> change) => RunAsync(_change, () => change(CancellationToken.None));
}
