using System.Security.Claims;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Web.Auth;
using AutoMLStudio.Web.Components.Shared;
using AutoMLStudio.Web.Hubs;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace AutoMLStudio.Web.Components.Pages.Searches;

public partial class SearchPage : IDisposable
{
    private Search? _search;
    private string? _datasetName;
    private SearchTaskTraits _traits = SearchTaskTraits.Of(default);
    private bool _notFound;
    private SearchLiveState _state = new(Guid.Empty);
    private TrialView? _best;
    private TestEvaluation? _test;
    private readonly BusyAction _control = new();
    private string? _modelName;
    private readonly BusyAction _register = new();
    private string? _registered;
    private TrainFormModel? _refine;
    private readonly BusyAction _refining = new();
    private bool _canEdit;
    private readonly CancellationTokenSource _disposed = new();
    // The circuit's one DbContext (behind the queries and use cases) must not serve an event-driven reload and a button click at once.
    private readonly SemaphoreSlim _db = new(1, 1);

    [Parameter] public Guid Id { get; set; }
    [Inject] private SearchQueries Searches { get; set; } = default!;
    [Inject] private SearchNotifier Notifier { get; set; } = default!;
    [Inject] private ControlSearch Control { get; set; } = default!;
    [Inject] private RegisterModel Register { get; set; } = default!;
    [Inject] private IServiceScopeFactory Scopes { get; set; } = default!;
    [Inject] private RefineSearch Refine { get; set; } = default!;
    [Inject] private MisclassifiedExamples Mistakes { get; set; } = default!;
    [Inject] private IAuthorizationService Authorization { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    private SearchMetric Metric => _state.Metric;

    private string Status => _search?.Status.ToString().ToLowerInvariant() ?? "";

    private bool CanRefine => _search is not null && (_search.Status == SearchStatus.Completed
                              || (_search.Status == SearchStatus.Cancelled && _state.Trials.Any(t => t.Status == "completed")));

    private int InheritedCount => _state.Trials.Count(t => t.InheritedFromNumber is not null);

    // Against maxTrials, which counts this search's own trials: those carried over from a refined search are not in it.
    private int TrialsDone => _state.Trials.Count(t => t.Status is "completed" or "failed" or "pruned" && t.InheritedFromNumber is null);

    private double MinutesElapsed => _search?.StartedAt is { } started
        ? ((_search.CompletedAt ?? DateTimeOffset.UtcNow) - started).TotalMinutes
        : 0;

    protected override void OnInitialized() => Notifier.Changed += OnSearchEvent;

    protected override async Task OnParametersSetAsync()
    {
        if (_state.SearchId != Id)
        {
            _state = new SearchLiveState(Id);
            _refine = null;
            _registered = null;
        }
        _canEdit = (await Authorization.AuthorizeAsync((await AuthState).User, StudioPolicies.Editor)).Succeeded;
        await Locked(LoadAsync);
    }

    /// <summary>What early stopping did, in a sentence; null when the search has none.</summary>
    private string? EarlyStoppingLine => _search is null ? null
        : EarlyStoppingSummary.From(_state.Trials.Select(t => (Enum.TryParse<TrialStatus>(t.Status, true, out var status) ? status : TrialStatus.Queued, t.Error, t.Epochs.Count)))
            .Describe(_search.Scheduler);

    private async Task LoadAsync()
    {
        var page = await Searches.PageAsync(Id, _disposed.Token);
        _search = page?.Search;
        _notFound = page is null;
        if (page is null) return;
        _datasetName ??= page.DatasetName;
        _traits = page.Traits;
        _modelName ??= _datasetName;
        _state.Metric = page.Search.MetricView();
        _state.Load(page.Trials);
        _best = _state.Trials.FirstOrDefault(t => t.Id == page.Search.BestTrialId);
        _test = page.Search.TestEvaluation;
    }

    // Epochs are drawn straight from the event. A trial's start or end changes its row in ways the event does not carry
    // (latency, configuration), so that one trial and the search row are re-read, never the whole search: with 300 trials
    // of 50 epochs a full re-read per event would read 15,000 epoch rows each time.
    private Task OnSearchEvent(SearchEvent searchEvent)
    {
        if (searchEvent.SearchId != Id) return Task.CompletedTask;
        return InvokeAsync(async () =>
        {
            _state.Apply(searchEvent);
            switch (searchEvent)
            {
                case EpochCompleted:
                    break;
                case TrialStarted or TrialCompleted:
                    await Locked(() => ReloadTrialAsync(searchEvent));
                    break;
                default:
                    await Locked(LoadAsync);
                    break;
            }
            RenderSoon();
        });
    }

    private async Task ReloadTrialAsync(SearchEvent searchEvent)
    {
        var trialId = searchEvent switch { TrialStarted s => s.TrialId, TrialCompleted c => c.TrialId, _ => Guid.Empty };
        if (await Searches.TrialAsync(trialId, _disposed.Token) is { } read)
        {
            _state.Replace(read.Trial);
            _search = read.Search;
            _best = _state.Trials.FirstOrDefault(t => t.Id == _search.BestTrialId);
            _test = _search.TestEvaluation;
        }
    }

    // Events can arrive many times a second on a busy search; drawing at most a few times a second keeps the page
    // responsive and sends the browser one diff per batch of events.
    private bool _renderQueued;

    private void RenderSoon()
    {
        if (_renderQueued) return;
        _renderQueued = true;
        _ = InvokeAsync(async () =>
        {
            await Task.Delay(RenderInterval);
            _renderQueued = false;
            if (!_disposed.IsCancellationRequested) StateHasChanged();
        });
    }

    private static readonly TimeSpan RenderInterval = TimeSpan.FromMilliseconds(250);

    private Task PauseAsync() => ControlAsync(Control.PauseAsync, "Search paused: running trials stop at their next checkpoint.");

    private Task ResumeAsync() => ControlAsync(Control.ResumeAsync, "Search resumed.");

    private Task CancelAsync() => ControlAsync(Control.CancelAsync, "Search cancelled.");

    private Task ControlAsync(Func<Guid, string?, CancellationToken, Task<Search>> action, string done) => RunInSnackbarAsync(_control, async () =>
    {
        var user = await UserIdAsync();
        await Locked(async () =>
        {
            await action(Id, user, _disposed.Token);
            await LoadAsync();
        });
    }, done);

    private async Task RegisterAsync()
    {
        if (_best is null) return;
        await RunInSnackbarAsync(_register, async () =>
        {
            var user = await UserIdAsync();
            ModelVersion? version = null;
            await Locked(async () => version = await Register.HandleAsync(new RegisterModelRequest(_best.Id, _modelName), user, _disposed.Token));
            _registered = $"{version!.Model?.Name ?? _modelName} v{version.Version}";
            Snackbar.Add($"Model registered: {_registered}", Severity.Success);
        });
    }

    // The labeling loop's next turn: the best model suggests labels for the rest of the dataset, and the labeler goes there.
    private Task SuggestLabelsAsync() => RunInSnackbarAsync(_register, async () =>
    {
        var user = await UserIdAsync();
        await using var scope = Scopes.CreateAsyncScope();
        var run = await scope.ServiceProvider.GetRequiredService<Core.Suggestions.SuggestFromSearch>().HandleAsync(Id, null, null, user, _disposed.Token);
        // The run may finish before the labeling page is up; it opens on the suggested order either way.
        Navigation.NavigateTo($"/datasets/{run.DatasetId}/label?view=next");
    });

    private void OpenRefine()
    {
        _refining.Clear();
        _refine = TrainFormModel.ToRefine(_search!);
    }

    private Task RefineAsync(TrainFormModel form) => RunAsync(_refining, async () =>
    {
        var user = await UserIdAsync();
        Search? refined = null;
        await Locked(async () => refined = await Refine.HandleAsync(Id, form.ToRefineRequest(), user, _disposed.Token));
        Navigation.NavigateTo($"/searches/{refined!.Id}");
    });

    private async Task<MisclassifiedPage> LoadMistakesAsync(int offset, int limit, CancellationToken ct)
    {
        MisclassifiedPage? page = null;
        await Locked(async () => page = await Mistakes.HandleAsync(Id, limit, offset, ct));
        return page!;
    }

    private async Task<string?> UserIdAsync() => (await AuthState).User.FindFirstValue(ClaimTypes.NameIdentifier);

    private async Task Locked(Func<Task> action)
    {
        await _db.WaitAsync(_disposed.Token);
        try { await action(); }
        finally { _db.Release(); }
    }

    public void Dispose()
    {
        Notifier.Changed -= OnSearchEvent;
        _disposed.Cancel();
    }
}
