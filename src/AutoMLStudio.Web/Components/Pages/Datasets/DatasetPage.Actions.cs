using AutoMLStudio.Core;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace AutoMLStudio.Web.Components.Pages.Datasets;

/// <summary>What the user does on the dataset page: train, recompute the report, cancel an import, change a table's schema.</summary>
public partial class DatasetPage
{
    private bool _showTrain;
    private readonly BusyAction _start = new();
    private TrainFormModel _train = new();
    private BudgetProfile? _budgetProfile;
    private IReadOnlyList<StartingModelChoice> _startingModels = [];
    private IReadOnlyList<LabelRound> _rounds = [];
    private int _suggestions;
    // Display names of the imported backbones an image search can fine-tune.
    private IReadOnlyList<string> _pretrained = [];
    private DateTimeOffset? _recomputeFrom; // the report's time when Recompute was pressed; the page waits until it changes
    private bool _cancelling;
    private readonly BusyAction _saveSchema = new();

    [Inject] private IServiceScopeFactory Scopes { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

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

    private async Task RecomputeQualityAsync()
    {
        await Locked(RequestQualityLockedAsync);
        RefreshWhileWaiting();
    }

    private async Task RequestQualityLockedAsync()
    {
        _recomputeFrom = _dataset?.QualityComputedAt ?? DateTimeOffset.MinValue;
        _waitingSince = DateTimeOffset.UtcNow;
        await Scoped<RequestQualityReport>(request => request.HandleAsync(Id, _disposed.Token));
        await LoadAsync();
    }

    private async Task CancelImportAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Cancel the import?",
            "The import stops at the next file and everything imported so far is removed. The dataset stays, marked as cancelled.",
            yesText: "Cancel import", cancelText: "Keep importing");
        if (confirmed != true) return;
        _cancelling = true;
        try
        {
            var name = (await AuthState).User.Identity?.Name;
            await Locked(async () =>
            {
                await Scoped<CancelDatasetImport>(cancel => cancel.HandleAsync(Id, name, _disposed.Token));
                await LoadAsync();
            });
        }
        catch (UserInputException)
        {
            await Locked(LoadAsync); // it finished meanwhile: show how
        }
        finally
        {
            _cancelling = false;
        }
    }

    private async Task ChangeSchemaAsync(ChangeDatasetSchemaRequest request)
    {
        var changed = await RunAsync(_saveSchema, () => Locked(async () =>
        {
            await Scoped<ChangeDatasetSchema>(change => change.HandleAsync(Id, request, _disposed.Token));
            await RequestQualityLockedAsync(); // new labels or types: the report is out of date
        }));
        if (changed) RefreshWhileWaiting();
    }

    // The form opens with Max minutes at the default from the data's size and says what that buys on this machine.
    private async Task ToggleTrainAsync()
    {
        _showTrain = !_showTrain;
        if (!_showTrain || _budgetProfile is not null) return;
        await Scoped<BudgetPlan>(async plan => _budgetProfile = await plan.ProfileAsync(Id, _disposed.Token));
        _train.MaxMinutes = _budgetProfile!.DefaultMinutes;
    }

    private Task StartAsync(TrainFormModel form) => RunAsync(_start, async () =>
    {
        var request = form.ToRequest(Id);
        Search? search = null;
        await Scoped<StartSearch>(async start => search = await start.HandleAsync(request, _userId, _disposed.Token));
        Navigation.NavigateTo($"/searches/{search!.Id}");
    });

    // Each use case gets its own scope, so its own DbContext: the circuit's one may still track a row as it was at upload.
    private async Task Scoped<T>(Func<T, Task> action) where T : notnull
    {
        await using var scope = Scopes.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<T>());
    }
}
