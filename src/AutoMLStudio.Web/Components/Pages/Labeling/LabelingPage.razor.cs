using System.Security.Claims;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Web.Api;
using AutoMLStudio.Web.Auth;
using AutoMLStudio.Web.Hubs;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Web.Virtualization;
using Microsoft.JSInterop;
using MudBlazor;

namespace AutoMLStudio.Web.Components.Pages.Labeling;

/// <summary>One row of the virtualized grid: <see cref="Ids"/> are the items at positions <see cref="First"/> onward.</summary>
public sealed record TileRow(int Number, int First, IReadOnlyList<Guid> Ids);

public partial class LabelingPage : IAsyncDisposable
{
    private const int Columns = 6;
    private const int RowHeight = 148; // the grid virtualizes by this height: .tile-row in app.css uses it

    private DatasetView? _dataset;
    private bool _notFound;
    private bool _canEdit;
    private string? _userId;
    private IReadOnlyList<string> _labels = [];
    private LabelCounts _counts = LabelCounts.Empty;
    private LabelFilter _filter = LabelFilter.All;
    private int _suspectCount;
    private bool _suggested;
    private List<Guid> _ids = []; // the current filter's items in grid order; positions index the selection
    private readonly Dictionary<Guid, ItemDto> _items = [];
    private readonly Dictionary<string, string> _names = [];
    private readonly GridSelection _selection = new();
    private readonly LabelUndo _undo = new();
    private Virtualize<TileRow>? _virtualize;
    private ElementReference _scroller;
    private IJSObjectReference? _module;
    private IJSObjectReference? _keys;
    private DotNetObjectReference<LabelingPage>? _self;
    private Task _writes = Task.CompletedTask; // changes are saved one after another, in the order they were made
    private int _pendingWrites;
    private string? _error;
    private readonly CancellationTokenSource _disposed = new();

    [Parameter] public Guid Id { get; set; }
    /// <summary>The item to open on, selected with its preview shown (the gallery of a search's mistakes links here).</summary>
    [SupplyParameterFromQuery(Name = "item")] public Guid? ItemId { get; set; }
    /// <summary>The search whose mistakes sent the labeler here, for the way back.</summary>
    [SupplyParameterFromQuery(Name = "search")] public Guid? FromSearchId { get; set; }
    /// <summary><c>next</c> opens on the unlabeled items in the last suggestion run's order (the labeling loop links here).</summary>
    [SupplyParameterFromQuery(Name = "view")] public string? View { get; set; }
    [Inject] private LabelingData Data { get; set; } = default!;
    [Inject] private DatasetNotifier Notifier { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private IAuthorizationService Authorization { get; set; } = default!;
    [Inject] private ILogger<LabelingPage> Logger { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    private int RequestedPosition => ItemId is { } item ? _ids.IndexOf(item) : -1;

    private ItemDto? Requested => ItemId is { } item ? _items.GetValueOrDefault(item) : null;

    private ItemDto? Focused => _selection.Focus >= 0 && _selection.Focus < _ids.Count ? _items.GetValueOrDefault(_ids[_selection.Focus]) : null;

    protected override void OnInitialized() => Notifier.Changed += OnDatasetChangedAsync;

    protected override async Task OnParametersSetAsync()
    {
        var user = (await AuthState).User;
        _userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        _canEdit = (await Authorization.AuthorizeAsync(user, StudioPolicies.Editor)).Succeeded;
        _dataset = await Data.DatasetAsync(Id, _disposed.Token);
        _notFound = _dataset is null;
        if (_dataset is not { Status: DatasetStatus.Ready }) return;
        _labels = await Data.LabelsAsync(Id, _disposed.Token);
        _counts = await Data.CountsAsync(Id, _disposed.Token);
        _suspectCount = _dataset.SuspectItemIds.Count;
        _suggested = await Data.LatestSuggestionsAsync(Id, _disposed.Token) is { Status: Core.Suggestions.SuggestionStatus.Completed };
        if (View == "next" && ItemId is null) _filter = LabelFilter.LabelNext;
        if (_dataset.Kind == DatasetKind.Image)
        {
            await LoadIdsAsync();
            await SelectRequestedAsync();
        }
    }

    private async Task SelectRequestedAsync()
    {
        var position = RequestedPosition;
        if (position < 0) return; // no item asked for, or deleted since: the banner says so
        _selection.Click(position);
        await EnsureLoadedAsync([_ids[position]]);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || !RendererInfo.IsInteractive) return;
        _module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/labeling-keys.js");
        _self = DotNetObjectReference.Create(this);
        _keys = await _module.InvokeAsync<IJSObjectReference>("listen", _self);
        if (RequestedPosition >= 0) await ShowFocusAsync();
    }

    private async Task LoadIdsAsync()
    {
        _ids = await Data.ItemIdsAsync(Id, _filter, _disposed.Token);
        _selection.Reset(_ids.Count);
        await EnsureLoadedAsync(_ids.Take(Columns * 4).ToList());
    }

    private async ValueTask<ItemsProviderResult<TileRow>> LoadTileRowsAsync(ItemsProviderRequest request)
    {
        var rowCount = (_ids.Count + Columns - 1) / Columns;
        var rows = Enumerable.Range(request.StartIndex, Math.Max(0, Math.Min(request.Count, rowCount - request.StartIndex)))
            .Select(r => new TileRow(r, r * Columns, _ids.Skip(r * Columns).Take(Columns).ToList())).ToList();
        await EnsureLoadedAsync(rows.SelectMany(r => r.Ids).ToList(), request.CancellationToken);
        return new ItemsProviderResult<TileRow>(rows, rowCount);
    }

    private async Task EnsureLoadedAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct = default)
    {
        var missing = ids.Where(id => !_items.ContainsKey(id)).ToList();
        if (missing.Count == 0) return;
        foreach (var item in await Data.ItemsAsync(Id, missing, ct)) _items[item.Id] = item;
        await ResolveNamesAsync(_items.Values.Select(i => i.LabeledBy));
    }

    private async Task FilterAsync(LabelFilter filter)
    {
        _filter = filter;
        await LoadIdsAsync();
        if (_virtualize is not null) await _virtualize.RefreshDataAsync();
        await ShowFocusAsync();
    }

    // The suggestions are new data on every item: forget the loaded ones and show the items to label first.
    private async Task SuggestionsReadyAsync()
    {
        _items.Clear();
        _suggested = true;
        _counts = await Data.CountsAsync(Id, _disposed.Token);
        await FilterAsync(LabelFilter.LabelNext);
    }

    private async Task ClickAsync(TileClick click)
    {
        _selection.Click(click.Index, click.Toggle, click.Range);
        await EnsureLoadedAsync([_ids[click.Index]]);
    }

    [JSInvokable]
    public async Task OnKey(string key)
    {
        var pressed = LabelShortcuts.Map(key);
        switch (pressed.Command)
        {
            case LabelCommand.AssignLabel when _canEdit && pressed.LabelNumber <= _labels.Count:
                var targets = _selection.Targets;
                _selection.Clear();
                _selection.FocusOn(targets.Count > 0 ? targets[^1] : _selection.Focus);
                await AssignAsync(targets, _labels[pressed.LabelNumber - 1]);
                _selection.Move(1);
                break;
            case LabelCommand.Undo when _canEdit:
                Undo();
                break;
            case LabelCommand.ClearSelection:
                _selection.Clear();
                break;
            // Enter on an unlabeled item takes the model's suggestion: the one-key confirm.
            case LabelCommand.Confirm when _canEdit && Focused is { Label: null, SuggestedLabel: { } suggested }:
                var focus = _selection.Focus;
                _selection.Clear();
                _selection.FocusOn(focus);
                await AssignAsync([focus], suggested);
                _selection.Move(1);
                break;
            case LabelCommand.MoveLeft or LabelCommand.MoveRight or LabelCommand.MoveUp or LabelCommand.MoveDown or LabelCommand.Confirm:
                _selection.Move(LabelShortcuts.Step(pressed.Command, Columns));
                break;
            default:
                return;
        }
        await ShowFocusAsync();
        StateHasChanged();
    }

    private async Task ShowFocusAsync()
    {
        if (_selection.Focus < 0) return;
        await EnsureLoadedAsync([_ids[_selection.Focus]]);
        if (_module is not null) await _module.InvokeVoidAsync("showRow", _scroller, _selection.Focus / Columns, RowHeight);
    }

    /// <summary>Shows the new label at once, remembers the old ones for undo, and queues the save.</summary>
    private async Task AssignAsync(IReadOnlyList<int> positions, string? label)
    {
        if (positions.Count == 0) return;
        var ids = positions.Select(p => _ids[p]).ToList();
        await EnsureLoadedAsync(ids);
        _undo.Push(new UndoStep(ids.Select(id => (id, _items[id].Label)).ToList()));
        foreach (var id in ids) _items[id] = _items[id] with { Label = label };
        if (ids.Count > 1) _selection.Clear();
        Save(ids, ct => ids.Count == 1 ? SetOneAsync(ids[0], label, ct) : Data.AssignAsync(Id, ids, label, _userId, ct));
    }

    private async Task SetOneAsync(Guid itemId, string? label, CancellationToken ct)
    {
        // The revision this page showed: if someone changed the item since, the answer says whose label we replaced.
        var change = await Data.SetAsync(Id, itemId, label, _items[itemId].Revision, _userId, ct);
        _items[itemId] = _items[itemId] with { Revision = change.Revision, LabeledBy = _userId, LabeledAt = DateTimeOffset.UtcNow };
        if (change.Replaced is { LabeledBy: { } by } replaced && by != _userId)
        {
            await ResolveNamesAsync([by]);
            Snackbar.Add($"You replaced {NameOf(by)}'s label {Quoted(replaced.Label)} on {_items[itemId].OriginalName}.", Severity.Info,
                o => o.SnackbarTypeClass = "label-replaced");
        }
    }

    private void Undo()
    {
        if (_undo.Pop() is not { } step) return;
        foreach (var (id, label) in step.Previous)
            if (_items.TryGetValue(id, out var item)) _items[id] = item with { Label = label };
        var first = _ids.IndexOf(step.Previous[0].ItemId);
        if (first >= 0) _selection.FocusOn(first);
        Save(step.Previous.Select(p => p.ItemId).ToList(), ct => Data.RestoreAsync(Id, step, _userId, ct));
    }

    private void Save(IReadOnlyList<Guid> itemIds, Func<CancellationToken, Task> write)
    {
        _pendingWrites++;
        _writes = SaveAfterAsync(_writes, itemIds, write);
    }

    private async Task SaveAfterAsync(Task previous, IReadOnlyList<Guid> itemIds, Func<CancellationToken, Task> write)
    {
        await previous; // never faults: every save handles its own failure
        try
        {
            await write(_disposed.Token);
        }
        catch (UserInputException e)
        {
            _error = $"{e.Title}: {e.Detail}";
            await ReloadItemsAsync(itemIds);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Logger.LogWarning(e, "A label change in dataset {DatasetId} was not saved", Id);
            _error = "The change could not be saved; the items show what is stored. Try again.";
            await ReloadItemsAsync(itemIds);
        }
        finally
        {
            _pendingWrites--;
            if (!_disposed.IsCancellationRequested) StateHasChanged();
        }
    }

    private async Task ReloadItemsAsync(IReadOnlyList<Guid> itemIds)
    {
        foreach (var id in itemIds) _items.Remove(id);
        await EnsureLoadedAsync(itemIds);
    }

    private Task<RowPage> LoadRowsAsync(int skip, int take, CancellationToken ct) => Data.RowsAsync(Id, skip, take, ItemId, ct);

    private async Task FixRequestedAsync(string? label)
    {
        // A filter chosen since may hide the item: show everything again, so the change goes through the usual save and undo.
        if (RequestedPosition < 0 && _filter != LabelFilter.All) await FilterAsync(LabelFilter.All);
        if (RequestedPosition is var position and >= 0) await AssignAsync([position], label);
    }

    private async Task LabelRowAsync(RowLabel change)
    {
        try
        {
            var saved = await Data.SetAsync(Id, change.Row.Id, change.Label, change.Row.Revision, _userId, _disposed.Token);
            (change.Row.Label, change.Row.Revision) = (saved.Label, saved.Revision);
        }
        catch (UserInputException e)
        {
            _error = $"{e.Title}: {e.Detail}";
        }
    }

    private string? NameOf(string? userId) => userId is null ? null : _names.GetValueOrDefault(userId, "someone");

    private static string Quoted(string? label) => label is null ? "(none)" : $"'{label}'";

    private async Task ResolveNamesAsync(IEnumerable<string?> userIds)
    {
        var unknown = userIds.OfType<string>().Where(u => !_names.ContainsKey(u)).Distinct().ToList();
        if (unknown.Count == 0) return;
        foreach (var (id, name) in await Data.UserNamesAsync(unknown, _disposed.Token)) _names[id] = name;
    }
}
