using System.Security.Claims;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Backbones;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Core.Suggestions;
using AutoMLStudio.Web.Api;
using AutoMLStudio.Web.Auth;
using AutoMLStudio.Web.Components.Pages.Labeling;
using AutoMLStudio.Web.Components.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace AutoMLStudio.Web.Components.Pages.Datasets;

/// <summary>Loading and live refresh; the user's actions are in DatasetPage.Actions.cs.</summary>
public partial class DatasetPage : IDisposable
{
    private const int PageSize = 48;
    private const string AllClasses = "";
    private static readonly TimeSpan GiveUpWaitingAfter = TimeSpan.FromMinutes(3);

    private DatasetView? _dataset;
    private bool _notFound;
    private bool _canEdit;
    private string? _userId;
    private IReadOnlyList<(string Name, int Count)> _classes = [];
    private IReadOnlyList<ColumnSpec> _columns = [];
    private DatasetQualityDto? _quality;
    private List<ItemDto> _items = [];
    private int _itemTotal;
    private int _page = 1;
    private string _labelFilter = AllClasses;
    private Task? _refresh;
    private readonly CancellationTokenSource _disposed = new();
    // One circuit shares one DbContext; the refresh and user actions must not use it at the same time.
    private readonly SemaphoreSlim _db = new(1, 1);

    [Parameter] public Guid Id { get; set; }
    [Inject] private DatasetQueries Datasets { get; set; } = default!;
    [Inject] private SuggestionQueries Suggestions { get; set; } = default!;
    [Inject] private BackboneQueries Backbones { get; set; } = default!;
    [Inject] private LabelingData Rows { get; set; } = default!;
    [Inject] private IAuthorizationService Authorization { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    private int PageCount => (_itemTotal + PageSize - 1) / PageSize;

    // The order StartSearch and the trainer index classes by, so the cost matrix's rows and columns mean the same classes.
    private IReadOnlyList<string> TrainingClasses => [.. _classes.Select(c => c.Name).Order(StringComparer.Ordinal)];
    private SearchTask TrainingTask => _dataset?.TrainingTask ?? SearchTasks.ImageClassification;
    private string ItemNoun => _dataset?.Kind switch { DatasetKind.Image => "images", DatasetKind.Text => "texts", _ => "rows" };

    protected override async Task OnParametersSetAsync()
    {
        var user = (await AuthState).User;
        _userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        _canEdit = (await Authorization.AuthorizeAsync(user, StudioPolicies.Editor)).Succeeded;
        await Locked(LoadAsync);
        RefreshWhileWaiting();
    }

    private async Task LoadAsync()
    {
        _dataset = await Datasets.FindAsync(Id, _disposed.Token);
        _notFound = _dataset is null;
        if (_dataset?.Status == DatasetStatus.Importing) _waitingSince = DateTimeOffset.UtcNow; // the report follows the import
        if (_dataset is not { Status: DatasetStatus.Ready }) return;
        if (_dataset.QualityComputedAt != _recomputeFrom) _recomputeFrom = null;
        _classes = [.. _dataset.Labels.Select(c => (c.Name, c.Count))];
        _columns = _dataset.Columns;
        _quality = _dataset.Quality.ToDto();
        _rounds = await Datasets.LabelRoundsAsync(Id, _disposed.Token);
        _suggestions = await Datasets.SuggestedCountAsync(Id, _disposed.Token);
        if (_dataset.Kind == DatasetKind.Image)
        {
            await LoadItemsAsync();
            // Image classifiers of the registry, newest versions first: what an image search can start from.
            _startingModels = (await Suggestions.ClassifiersAsync(DatasetKind.Image, _disposed.Token))
                .Select(m => new StartingModelChoice(m.ModelId, m.Version, m.Label)).ToList();
            _pretrained = [.. (await Backbones.ListAsync(_disposed.Token)).Select(b => b.DisplayName)];
        }
    }

    private async Task LoadItemsAsync()
    {
        var items = await Datasets.GalleryAsync(Id, _labelFilter == AllClasses ? null : _labelFilter,
            new PageRequest((_page - 1) * PageSize, PageSize), _disposed.Token);
        _itemTotal = items.Total;
        _items = items.Items.Select(i => i.ToDto()).ToList();
    }

    private Task<RowPage> LoadRowsAsync(int skip, int take, CancellationToken ct) => Rows.RowsAsync(Id, skip, take, null, ct);

    /// <summary>The import, or a quality report the page is waiting for: both land in the row only.</summary>
    private bool Waiting => _dataset?.Status == DatasetStatus.Importing || QualityWaiting;

    private bool QualityWaiting => _dataset is { Status: DatasetStatus.Ready } d
                                   && (d.QualityComputedAt is null || d.QualityQueuedAt is not null || _recomputeFrom is not null)
                                   && DateTimeOffset.UtcNow - _waitingSince < GiveUpWaitingAfter;

    private DateTimeOffset _waitingSince = DateTimeOffset.UtcNow;

    // Jobs write progress and reports to the row only, so the page re-reads it each second while it waits for one.
    private void RefreshWhileWaiting()
    {
        if (!Waiting || _refresh is { IsCompleted: false }) return;
        _refresh = PollAsync(TimeSpan.FromSeconds(1), () => Locked(LoadAsync), _disposed.Token, () => Waiting);
    }

    private async Task Locked(Func<Task> action)
    {
        await _db.WaitAsync(_disposed.Token);
        try { await action(); }
        finally { _db.Release(); }
    }

    public void Dispose()
    {
        _disposed.Cancel();
    }
}
