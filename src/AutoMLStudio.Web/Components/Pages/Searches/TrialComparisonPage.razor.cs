using AutoMLStudio.Core;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Engine.Metrics;
using AutoMLStudio.Web.Components.Shared;
using AutoMLStudio.Web.Hubs;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace AutoMLStudio.Web.Components.Pages.Searches;

/// <summary>Two or more trials of one search side by side; the address names them by number, so a comparison can be shared.</summary>
public partial class TrialComparisonPage : IDisposable
{
    private TrialComparison? _comparison;
    private IReadOnlyList<TrialView> _views = [];
    private IReadOnlyList<string> _classes = [];
    private Search? _search;
    private string? _datasetName;
    private UserInputException? _problem;
    private readonly CancellationTokenSource _disposed = new();
    // The circuit's one DbContext must not serve an event-driven reload and a navigation at once.
    private readonly SemaphoreSlim _db = new(1, 1);

    [Parameter] public Guid Id { get; set; }

    /// <summary>Trial numbers separated by commas, as the trial table's Compare button writes them.</summary>
    [SupplyParameterFromQuery(Name = "trials")] public string? TrialNumbers { get; set; }

    [Inject] private CompareTrials Compare { get; set; } = default!;
    [Inject] private StudioDbContext Db { get; set; } = default!;
    [Inject] private SearchNotifier Notifier { get; set; } = default!;

    /// <summary>The page's address for these trials of a search.</summary>
    public static string Href(Guid searchId, IEnumerable<int> trialNumbers) =>
        $"/searches/{searchId}/compare?trials={string.Join(',', trialNumbers)}";

    private MetricDefinition Metric => _search?.MetricDefinition() ?? MetricCatalog.Accuracy;

    private int ColumnWidth => Math.Max(12 / Math.Max(_views.Count, 1), 4);

    private List<BreadcrumbItem> Breadcrumbs =>
    [
        new("Searches", "/searches"),
        new(_datasetName ?? "Search", _search is null ? null : $"/searches/{Id}", disabled: _search is null),
        new("Compare trials", null, disabled: true),
    ];

    protected override void OnInitialized() => Notifier.Changed += OnSearchEvent;

    protected override Task OnParametersSetAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        try
        {
            await _db.WaitAsync(_disposed.Token);
            try
            {
                await ReadAsync();
            }
            finally
            {
                _db.Release();
            }
        }
        // An event that arrives while the page closes has nothing left to update.
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
    }

    private async Task ReadAsync()
    {
        _search = await Db.Searches.AsNoTracking().SingleOrDefaultAsync(s => s.Id == Id, _disposed.Token);
        _datasetName = _search is null ? null
            : await Db.Datasets.AsNoTracking().Where(d => d.Id == _search.DatasetId).Select(d => d.Name).SingleOrDefaultAsync(_disposed.Token);
        try
        {
            _comparison = await Compare.HandleAsync(Id, TrialNumbers, _disposed.Token);
            _classes = _comparison.Search.Classes;
            _views = [.. _comparison.Trials.Select(TrialView.From)];
            _problem = null;
        }
        catch (UserInputException problem)
        {
            _problem = problem;
            _comparison = null;
        }
    }

    // Any change to a compared trial (a new epoch, a new best confusion matrix, its end) is re-read: a few rows, not the search.
    private Task OnSearchEvent(SearchEvent searchEvent)
    {
        if (searchEvent.SearchId != Id || _comparison is null) return Task.CompletedTask;
        var number = searchEvent switch
        {
            TrialStarted started => started.Number,
            EpochCompleted epoch => epoch.Number,
            TrialCompleted completed => completed.Number,
            _ => (int?)null,
        };
        if (number is null || _comparison.Trials.All(t => t.Number != number)) return Task.CompletedTask;
        return InvokeAsync(async () =>
        {
            await LoadAsync();
            StateHasChanged();
        });
    }

    public void Dispose()
    {
        Notifier.Changed -= OnSearchEvent;
        _disposed.Cancel();
    }
}
