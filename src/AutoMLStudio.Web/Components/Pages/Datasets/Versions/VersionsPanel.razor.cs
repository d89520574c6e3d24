using AutoMLStudio.Core;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Web.Api;
using Microsoft.AspNetCore.Components;
using AutoMLStudio.Web.Components.Shared;

namespace AutoMLStudio.Web.Components.Pages.Datasets.Versions;

/// <summary>A dataset's versions and the form that creates one. Reads and writes in its own scope, apart from the page's DbContext.</summary>
public partial class VersionsPanel
{
    private List<DatasetVersionDto>? _versions;
    private VersionFormModel _form = new();
    private readonly BusyAction _create = new();

    [Parameter, EditorRequired] public Guid DatasetId { get; set; }
    [Parameter] public bool CanEdit { get; set; }
    [Parameter] public string? UserId { get; set; }
    [Inject] private IServiceScopeFactory Scopes { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        await using var scope = Scopes.CreateAsyncScope();
        var versions = await scope.ServiceProvider.GetRequiredService<DatasetQueries>().VersionsAsync(DatasetId, PageRequest.All, default);
        _versions = versions.Items.Select(v => v.ToDto()).ToList();
    }

    private Task CreateAsync(VersionFormModel form) => RunAsync(_create, async () =>
    {
        await using var scope = Scopes.CreateAsyncScope();
        var version = await scope.ServiceProvider.GetRequiredService<CreateDatasetVersion>().HandleAsync(form.ToRequest(DatasetId, UserId), default);
        _versions = [DatasetVersionView.From(version).ToDto(), .. _versions ?? []];
        _form = new VersionFormModel();
    });
}
