using AutoMLStudio.Core;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Core.Searches.Pipelines;
using Microsoft.AspNetCore.Components;

namespace AutoMLStudio.Web.Components.Pages.Searches.Mistakes;

/// <summary>A page of a completed search's misclassified test examples, loaded through <see cref="Load"/>.</summary>
public partial class MistakesGallery : IDisposable
{
    public const int DefaultPageSize = 12;

    private MisclassifiedPage? _page;
    private int _offset;
    private string? _unavailable;
    private Guid? _loadedFor;
    private readonly CancellationTokenSource _disposed = new();

    [Parameter, EditorRequired] public Guid SearchId { get; set; }
    /// <summary>The search's task: the gallery counts images, rows or texts.</summary>
    [Parameter, EditorRequired] public SearchTask SearchTask { get; set; } = SearchTasks.ImageClassification;
    /// <summary>Loads misclassified examples from an offset, at most a limit of them.</summary>
    [Parameter, EditorRequired] public Func<int, int, CancellationToken, Task<MisclassifiedPage>> Load { get; set; } = default!;
    /// <summary>Whether the user may change labels: "Fix label", else a link to look at the item.</summary>
    [Parameter] public bool CanFix { get; set; }
    [Parameter] public int PageSize { get; set; } = DefaultPageSize;

    private int PageCount => _page is null ? 0 : (_page.Total + PageSize - 1) / PageSize;

    private int CurrentPage => _offset / PageSize + 1;

    // The parent re-renders on every search event; the gallery loads once per search, then on paging.
    protected override async Task OnParametersSetAsync()
    {
        if (_loadedFor == SearchId) return;
        _loadedFor = SearchId;
        _offset = 0;
        await LoadPageAsync();
    }

    private async Task GoToPageAsync(int page)
    {
        _offset = (page - 1) * PageSize;
        await LoadPageAsync();
    }

    private async Task LoadPageAsync()
    {
        try
        {
            _page = await Load(_offset, PageSize, _disposed.Token);
            _unavailable = null;
        }
        catch (UserInputException e)
        {
            _page = null;
            _unavailable = e.Detail;
        }
    }

    private string Noun(int count) => TaskPipelines.WordsOf(SearchTask).ItemsFor(count);

    public void Dispose() => _disposed.Cancel();
}
