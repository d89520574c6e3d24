using System.Security.Claims;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Hosting;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Options;
using AutoMLStudio.Web.Components.Shared;

namespace AutoMLStudio.Web.Components.Pages.Endpoints;

/// <summary>Batch prediction from the endpoint page: upload a file, watch it run, download the results.</summary>
public sealed partial class BatchPanel : IDisposable
{
    [Parameter, EditorRequired] public EndpointSummary Summary { get; set; } = default!;

    [Inject] private IServiceScopeFactory Scopes { get; set; } = default!;
    [Inject] private IOptions<StudioOptions> Options { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    private readonly CancellationTokenSource _disposed = new();
    private IReadOnlyList<BatchPredictionView> _batches = [];
    private readonly BusyAction _upload = new();
    private string? _uploadName;

    protected override async Task OnParametersSetAsync() => await LoadAsync();

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender) _ = RefreshWhileRunningAsync();
    }

    private async Task LoadAsync()
    {
        // A scope per load: the poll runs beside the circuit's other work, which must not share one DbContext with it.
        await using var scope = Scopes.CreateAsyncScope();
        _batches = (await scope.ServiceProvider.GetRequiredService<BatchPredictionQueries>()
            .ListAsync(Summary.Endpoint.Id, PageRequest.All, CancellationToken.None)).Items;
    }

    // Polls only while a batch is queued or running: the job writes its progress to the row after every chunk.
    private Task RefreshWhileRunningAsync() => PollAsync(TimeSpan.FromSeconds(1), async () =>
    {
        if (_batches.Any(b => b.Status is BatchStatus.Queued or BatchStatus.Running)) await LoadAsync();
    }, _disposed.Token);

    private async Task OnFileChosenAsync(IBrowserFile? file)
    {
        if (file is null) return;
        _uploadName = file.Name;
        await RunAsync(_upload, async () =>
        {
            try
            {
                var user = (await AuthState).User.FindFirstValue(ClaimTypes.NameIdentifier);
                await using var scope = Scopes.CreateAsyncScope();
                await using var content = file.OpenReadStream(Options.Value.Import.MaxUploadBytes, _disposed.Token);
                await scope.ServiceProvider.GetRequiredService<StartBatchPrediction>().HandleAsync(Summary.Endpoint.Id, file.Name, content, user, _disposed.Token);
                await LoadAsync();
            }
            catch (IOException e)
            {
                throw new UserInputException("Upload interrupted", $"The file could not be uploaded: {e.Message}");
            }
        });
    }

    public void Dispose() => _disposed.Cancel();
}
