using System.Security.Claims;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Registry;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
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

    private List<RegisteredModel>? _models;

    [Inject] private StudioDbContext Db { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    protected override async Task OnInitializedAsync() =>
        _models = await Db.Models.AsNoTracking().Include(m => m.Versions).OrderBy(m => m.Name).ToListAsync();

    private static string DownloadUrl(RegisteredModel model, ModelVersion version, string format) =>
        $"/api/v1/models/{model.Id}/download?format={format}&version={version.Version}";

    private static string Stage(ModelVersion version) => version.Stage.ToString().ToLowerInvariant();

    private static Color StageColor(ModelStage stage) => ModelVersionPage.StageColor(stage);

    private async Task DeployAsync(RegisteredModel model, ModelVersion version)
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
