using System.Security.Claims;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Web.Api;
using AutoMLStudio.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Web.Components.Pages.Datasets;

public partial class DatasetPage : IDisposable
{
    private const int PageSize = 48;
    private const string AllClasses = "";

    private Dataset? _dataset;
    private bool _notFound;
    private IReadOnlyList<(string Name, int Count)> _classes = [];
    private DatasetQualityDto? _quality;
    private List<ItemDto> _items = [];
    private int _itemTotal;
    private int _page = 1;
    private string _labelFilter = AllClasses;
    private bool _showTrain;
    private bool _starting;
    private TrainFormModel _train = new();
    private UserInputException? _startError;
    private PeriodicTimer? _timer;
    private readonly CancellationTokenSource _disposed = new();
    // One circuit shares one DbContext; the import refresh and user actions must not use it at the same time.
    private readonly SemaphoreSlim _db = new(1, 1);

    [Parameter] public Guid Id { get; set; }
    [Inject] private StudioDbContext Db { get; set; } = default!;
    [Inject] private StartSearch Start { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    private int PageCount => (_itemTotal + PageSize - 1) / PageSize;

    protected override async Task OnParametersSetAsync()
    {
        await Locked(LoadAsync);
        if (_dataset?.Status == DatasetStatus.Importing && _timer is null) _ = RefreshWhileImportingAsync();
    }

    private async Task LoadAsync()
    {
        _dataset = await Db.Datasets.AsNoTracking().SingleOrDefaultAsync(d => d.Id == Id, _disposed.Token);
        _notFound = _dataset is null;
        if (_dataset is not { Status: DatasetStatus.Ready }) return;
        _classes = await Db.ClassCountsAsync(Id, _disposed.Token);
        _quality = _dataset.ToDto(_classes.Select(c => new ClassCountDto(c.Name, c.Count)).ToList()).Quality;
        await LoadItemsAsync();
    }

    private async Task LoadItemsAsync()
    {
        var query = Db.DatasetItems.AsNoTracking().Where(i => i.DatasetId == Id);
        if (_labelFilter != AllClasses) query = query.Where(i => i.Label == _labelFilter);
        _itemTotal = await query.CountAsync(_disposed.Token);
        var items = await query.OrderBy(i => i.Label).ThenBy(i => i.OriginalName).ThenBy(i => i.Id)
            .Skip((_page - 1) * PageSize).Take(PageSize).ToListAsync(_disposed.Token);
        _items = items.Select(i => i.ToDto()).ToList();
    }

    // The import job writes progress to the row only, so the page re-reads it each second until the import ends.
    private async Task RefreshWhileImportingAsync()
    {
        _timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (_dataset?.Status == DatasetStatus.Importing && await _timer.WaitForNextTickAsync(_disposed.Token))
            {
                await InvokeAsync(async () =>
                {
                    await Locked(LoadAsync);
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task FilterAsync(string label)
    {
        _labelFilter = label;
        _page = 1;
        await Locked(LoadItemsAsync);
    }

    private async Task PageAsync(int page)
    {
        _page = page;
        await Locked(LoadItemsAsync);
    }

    private async Task StartAsync(TrainFormModel form)
    {
        _starting = true;
        _startError = null;
        try
        {
            var user = (await AuthState).User.FindFirstValue(ClaimTypes.NameIdentifier);
            var constraints = form.MaxParams is { } maxParams ? new ConstraintsRequest(maxParams, null, null) : null;
            var request = new StartSearchRequest(Id, null, new ObjectiveRequest(form.Metric, null, constraints),
                new BudgetRequest(form.MaxTrials, form.MaxMinutes, form.MaxEpochsPerTrial), "auto", null);
            Search? search = null;
            await Locked(async () => search = await Start.HandleAsync(request, user, _disposed.Token));
            Navigation.NavigateTo($"/searches/{search!.Id}");
        }
        catch (UserInputException e)
        {
            _startError = e;
        }
        finally
        {
            _starting = false;
        }
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
        _timer?.Dispose();
    }
}
