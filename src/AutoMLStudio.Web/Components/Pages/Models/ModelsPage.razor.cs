using System.Security.Claims;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Registry;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace AutoMLStudio.Web.Components.Pages.Models;

public partial class ModelsPage
{
    private static readonly (string Format, string Label, string Hint)[] DownloadFormats =
    [
        ("onnx", "ONNX", "One file for ONNX Runtime in any language"),
        ("torchsharp", "TorchSharp", "Weights and architecture, to train further in .NET"),
        ("bundle", "Bundle", "ONNX, preprocessing, labels and sample code, ready to run"),
    ];

    private IReadOnlyList<ModelView>? _models;

    [Inject] private ModelQueries Models { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    protected override async Task OnInitializedAsync() =>
        _models = (await Models.ListAsync(PageRequest.All, CancellationToken.None)).Items;

    private static string DownloadUrl(ModelView model, ModelVersionView version, string format) =>
        $"/api/v1/models/{model.Id}/download?format={format}&version={version.Version}";

    private static string Stage(ModelVersionView version) => version.Stage.ToString().ToLowerInvariant();

    private static Color StageColor(ModelStage stage) => ModelVersionPage.StageColor(stage);

    private async Task DeployAsync(ModelView model, ModelVersionView version)
    {
        var user = (await AuthState).User.FindFirstValue(ClaimTypes.NameIdentifier);
        var parameters = new DialogParameters<DeployDialog>
        {
            { d => d.ModelId, model.Id }, { d => d.ModelName, model.Name }, { d => d.Version, version.Version }, { d => d.UserId, user },
        };
        var dialog = await Dialogs.ShowAsync<DeployDialog>($"Deploy {model.Name} v{version.Version}", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, BackdropClick = false });
        if (await dialog.Result is { Canceled: false, Data: Guid endpointId }) Navigation.NavigateTo($"/endpoints/{endpointId}");
    }
}
