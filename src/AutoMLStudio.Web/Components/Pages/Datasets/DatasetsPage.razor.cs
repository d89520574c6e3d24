using System.Security.Claims;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;

namespace AutoMLStudio.Web.Components.Pages.Datasets;

public partial class DatasetsPage : IDisposable
{
    private const long MaxUploadBytes = 2L * 1024 * 1024 * 1024;
    private const int MaxFiles = 10_000;

    private List<DatasetSummary>? _datasets;
    private string? _name;
    private IReadOnlyList<IBrowserFile> _files = [];
    private string? _labelColumn;
    private string? _textColumn;
    private readonly BusyAction _upload = new();
    private long _sent;
    private DateTime _lastProgressRender;
    private readonly CancellationTokenSource _disposed = new();

    [Inject] private DatasetQueries Datasets { get; set; } = default!;
    [Inject] private IServiceScopeFactory Scopes { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    private long TotalBytes => _files.Sum(f => f.Size);
    private double UploadPercent => TotalBytes == 0 ? 0 : 100.0 * _sent / TotalBytes;
    private bool IsTable => _files.Count == 1 && Path.GetExtension(_files[0].Name).ToLowerInvariant() is ".csv" or ".tsv" or ".tab";
    private string ChosenText => _files.Count == 1
        ? $"{_files[0].Name} ({Formats.Bytes(_files[0].Size)})"
        : $"{_files.Count} files ({Formats.Bytes(TotalBytes)})";

    protected override async Task OnInitializedAsync()
    {
        await LoadAsync();
        _ = RefreshWhileImportingAsync();
    }

    private async Task LoadAsync()
    {
        _datasets = await Datasets.SummariesAsync(_disposed.Token);
    }

    // Import progress lives only in the dataset row, so the list re-reads it once a second while any import runs.
    private Task RefreshWhileImportingAsync() => PollAsync(TimeSpan.FromSeconds(1), async () =>
    {
        if (_upload.Busy || _datasets is null || !_datasets.Any(d => d.Status == DatasetStatus.Importing)) return;
        await LoadAsync();
    }, _disposed.Token);

    private void OnFilesChosen(IReadOnlyList<IBrowserFile>? files)
    {
        _files = files ?? [];
        _upload.Clear();
    }

    private async Task UploadAsync()
    {
        if (_files.Count == 0) return;
        _sent = 0;
        var streams = new List<Stream>();
        try
        {
            await RunAsync(_upload, () => SendAsync(streams));
        }
        finally
        {
            foreach (var stream in streams) await stream.DisposeAsync();
        }
    }

    private async Task SendAsync(List<Stream> streams)
    {
        try
        {
            var user = (await AuthState).User.FindFirstValue(ClaimTypes.NameIdentifier);
            // The files are read one after another, so each one's count starts where the previous ones ended.
            long before = 0;
            var uploaded = new List<UploadedFile>();
            foreach (var file in _files)
            {
                var offset = before;
                var counted = new ProgressStream(file.OpenReadStream(MaxUploadBytes, _disposed.Token), sent => OnBytesSent(offset + sent));
                streams.Add(counted);
                uploaded.Add(new UploadedFile(file.Name, counted));
                before += file.Size;
            }
            var request = new UploadDatasetRequest(_name, uploaded, user, IsTable ? _labelColumn : null, IsTable ? _textColumn : null);
            // Its own scope: the circuit's DbContext would keep tracking the new row as "importing" for the next page.
            await using var scope = Scopes.CreateAsyncScope();
            var dataset = await scope.ServiceProvider.GetRequiredService<UploadDataset>().HandleAsync(request, _disposed.Token);
            Navigation.NavigateTo($"/datasets/{dataset.Id}");
        }
        catch (IOException e)
        {
            // The browser stream fails this way when the tab goes away or the file exceeds the picker's limit.
            throw new UserInputException("Upload interrupted", $"A file could not be read completely ({e.Message}). Choose it again and retry.");
        }
    }

    private void OnBytesSent(long total)
    {
        _sent = total;
        // A render per 64 KB chunk would flood the circuit; four a second look smooth.
        if (DateTime.UtcNow - _lastProgressRender < TimeSpan.FromMilliseconds(250)) return;
        _lastProgressRender = DateTime.UtcNow;
        _ = InvokeAsync(StateHasChanged);
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
