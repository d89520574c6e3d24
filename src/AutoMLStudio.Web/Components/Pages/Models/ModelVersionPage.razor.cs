using AutoMLStudio.Core;
using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Core.Identity;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Core.Searches.Pipelines;
using AutoMLStudio.Web.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using AutoMLStudio.Web.Components.Shared;

namespace AutoMLStudio.Web.Components.Pages.Models;

/// <summary>A registered model version's card: what it scored, where it came from, its stage and the team's notes.</summary>
public sealed partial class ModelVersionPage
{
    [Parameter] public Guid ModelId { get; set; }
    [Parameter] public int Number { get; set; }

    [Inject] private ModelQueries Models { get; set; } = default!;
    [Inject] private UpdateModelVersion Update { get; set; } = default!;
    [Inject] private IAuthorizationService Authorization { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    private string? _modelName;
    private ModelVersionView? _version;
    private ModelCard? _card;
    private MetricLabel? _metric;
    private string? _createdBy;
    private bool _notFound, _canEdit, _canPromote, _saved;
    private readonly BusyAction _save = new();
    private ModelStage _stage;
    private string? _intendedUse, _notes;

    protected override async Task OnParametersSetAsync()
    {
        var user = (await AuthState).User;
        _canEdit = (await Authorization.AuthorizeAsync(user, StudioPolicies.Editor)).Succeeded;
        _canPromote = user.IsInRole(StudioRoles.Admin) || user.IsInRole(StudioRoles.TeamLead);
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var detail = await Models.VersionAsync(ModelId, Number, CancellationToken.None);
        _notFound = detail is null;
        (_modelName, _version, _card, _createdBy, _metric) = (detail?.ModelName, detail?.Version, detail?.Card, detail?.RegisteredBy, detail?.ValidationMetric);
        if (detail is null) return;
        (_stage, _intendedUse, _notes) = (detail.Version.Stage, detail.Card.IntendedUse, detail.Card.Notes);
    }

    private Task SaveAsync()
    {
        _saved = false;
        return RunAsync(_save, async () =>
        {
            await Update.HandleAsync(new UpdateModelVersionRequest(ModelId, Number, _stage.ToString(), _intendedUse ?? "", _notes ?? ""), _canPromote, default);
            await LoadAsync();
            _saved = true;
        });
    }

    // As Formats.Metric words it: shares as percentages, other values plainly.
    private string ValidationText() =>
        _metric is null || _card?.Metrics.Validation is not { } value || !double.IsFinite(value) ? "–"
        : _metric.IsFraction ? Formats.Percent(value)
        : value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    private string Download(string format) => $"/api/v1/models/{ModelId}/download?format={format}&version={Number}";

    private string InputWords() => _card switch
    {
        { Input: { } image } => $"{image.ColorMode} images, resized to {image.Width}×{image.Height}",
        { Rows: not null } when TaskPipelines.TraitsOf(_card.Task).Instances == EndpointInput.Text => "a text",
        { Rows: { } rows } => $"a row with {string.Join(", ", rows.Fields)}",
        _ => "–",
    };

    private static string TaskWords(SearchTask task) => TaskPipelines.WordsOf(task).ModelKind;

    internal static Color StageColor(ModelStage stage) => stage switch
    {
        ModelStage.Production => Color.Success,
        ModelStage.Staging => Color.Info,
        ModelStage.Archived => Color.Dark,
        _ => Color.Default,
    };
}
