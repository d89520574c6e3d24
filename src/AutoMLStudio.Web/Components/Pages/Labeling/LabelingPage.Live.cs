using AutoMLStudio.Core.Datasets;
using Microsoft.JSInterop;
using MudBlazor;

namespace AutoMLStudio.Web.Components.Pages.Labeling;

/// <summary>Changes other people make while this page is open: tiles change in place, and an overwritten labeler is told.</summary>
public partial class LabelingPage
{
    private Task OnDatasetChangedAsync(DatasetEvent change) =>
        change is LabelsChanged labels && labels.DatasetId == Id ? InvokeAsync(() => ApplyAsync(labels)) : Task.CompletedTask;

    private async Task ApplyAsync(LabelsChanged change)
    {
        if (_disposed.IsCancellationRequested) return;
        _labels = change.Labels;
        var mine = change.ChangedBy is not null && change.ChangedBy == _userId;
        await ResolveNamesAsync([change.ChangedBy]);
        foreach (var c in change.Changes)
        {
            if (!_items.TryGetValue(c.ItemId, out var item) || item.Revision > c.Revision) continue;
            // Whose label this was: the server says so on a conflict; otherwise this page knows who labeled it last.
            var overwritten = c.Replaced?.LabeledBy ?? item.LabeledBy;
            var before = c.Replaced is null ? item.Label : c.Replaced.Label;
            if (!mine && overwritten == _userId && _userId is not null && before != c.Label)
                Snackbar.Add($"{NameOf(change.ChangedBy)} changed {item.OriginalName} from {Quoted(before)} to {Quoted(c.Label)}.", Severity.Warning,
                    o =>
                    {
                        o.SnackbarTypeClass = "label-conflict";
                        o.VisibleStateDuration = 10_000; // long enough to read who changed one's work
                    });
            // My own changes already show; a late echo of an earlier one must not undo a newer key press.
            _items[c.ItemId] = item with
            {
                Label = mine ? item.Label : c.Label, Revision = c.Revision, LabeledBy = change.ChangedBy, LabeledAt = DateTimeOffset.UtcNow,
            };
        }
        if (change.Count > change.Changes.Count)
        {
            // Too many changes to list: forget what is cached and load what is on screen again.
            _items.Clear();
            if (_virtualize is not null) await _virtualize.RefreshDataAsync();
        }
        _counts = await Data.CountsAsync(Id, _disposed.Token);
        StateHasChanged();
    }

    public async ValueTask DisposeAsync()
    {
        Notifier.Changed -= OnDatasetChangedAsync;
        _disposed.Cancel();
        try
        {
            if (_keys is not null) await _keys.InvokeVoidAsync("dispose");
            if (_keys is not null) await _keys.DisposeAsync();
            if (_module is not null) await _module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The browser is gone; its listener went with it.
        }
        _self?.Dispose();
    }
}
