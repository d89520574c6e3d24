using AutoMLStudio.Core;
using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace AutoMLStudio.Web.Components.Pages.Endpoints;

public partial class SettingsPanel
{
    private IReadOnlyList<ModelVersionView>? _versions;
    private int _chosen;
    private readonly BusyAction _deploy = new();
    private string? _busyWhat;
    private string? _swapped;

    [Parameter, EditorRequired] public EndpointSummary Summary { get; set; } = default!;
    /// <summary>After a swap, so the page shows the version it serves now.</summary>
    [Parameter] public EventCallback OnSwapped { get; set; }
    [Inject] private IServiceScopeFactory Scopes { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _chosen = Summary.Version;
        await using var scope = Scopes.CreateAsyncScope();
        _versions = await scope.ServiceProvider.GetRequiredService<ModelQueries>().VersionsAsync(Summary.Endpoint.ModelId, CancellationToken.None);
    }

    private string Describe(ModelVersionView version)
    {
        var card = version.Summary;
        var parts = new List<string> { $"v{version.Version}" };
        if (version.Stage != ModelStage.None) parts.Add(version.Stage.ToString().ToLowerInvariant());
        if (card.TestAccuracy is { } accuracy) parts.Add($"test accuracy {Formats.Percent(accuracy)}");
        parts.Add($"registered {Formats.When(version.CreatedAt)}");
        if (version.Version == Summary.Version) parts.Add("served now");
        return string.Join(" · ", parts);
    }

    private async Task SwapAsync()
    {
        var target = _chosen;
        if (!await DeployAsync($"Loading version {target}…", deploy => deploy.SwapAsync(Summary.Endpoint.Id, null, target, CancellationToken.None))) return;
        _swapped = $"The endpoint serves version {target} now.";
        await OnSwapped.InvokeAsync();
    }

    private async Task UndeployAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync($"Undeploy '{Summary.Endpoint.Name}'?",
            "Programs calling this endpoint get an error from now on, and its API keys are revoked. The registered model is kept.",
            yesText: "Undeploy", cancelText: "Keep serving");
        if (confirmed != true) return;
        if (await DeployAsync("Undeploying…", deploy => deploy.DeleteAsync(Summary.Endpoint.Id, CancellationToken.None))) Navigation.NavigateTo("/endpoints");
    }

    /// <returns>Whether the action succeeded; when not, the alert says why.</returns>
    private Task<bool> DeployAsync(string what, Func<DeployModel, Task> action)
    {
        _busyWhat = what;
        _swapped = null;
        return RunAsync(_deploy, async () =>
        {
            // A scope of its own: the page's DbContext may be busy with another of the page's reads.
            await using var scope = Scopes.CreateAsyncScope();
            var deploy = scope.ServiceProvider.GetRequiredService<DeployModel>();
            // Loading a version reads and checks its ONNX file: off the circuit's thread, the progress shows meanwhile.
            await Task.Run(() => action(deploy));
        });
    }
}
