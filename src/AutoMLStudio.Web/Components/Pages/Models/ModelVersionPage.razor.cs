using AutoMLStudio.Core;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Identity;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Web.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using AutoMLStudio.Web.Components.Shared;

namespace AutoMLStudio.Web.Components.Pages.Models;

/// <summary>A registered model version's card: what it scored, where it came from, its stage and the team's notes.</summary>
public sealed partial class ModelVersionPage
{
    [Parameter] public Guid ModelId { get; set; }
    [Parameter] public int Number { get; set; }

    [Inject] private StudioDbContext Db { get; set; } = default!;
    [Inject] private UpdateModelVersion Update { get; set; } = default!;
    [Inject] private IAuthorizationService Authorization { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    private RegisteredModel? _model;
    private ModelVersion? _version;
    private ModelCard? _card;
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
        Db.ChangeTracker.Clear();
        _model = await Db.Models.AsNoTracking().Include(m => m.Versions).SingleOrDefaultAsync(m => m.Id == ModelId);
        _version = _model?.Versions.SingleOrDefault(v => v.Version == Number);
        _notFound = _version is null;
        if (_version is null) return;
        _card = ModelCard.FromJson(_version.CardJson);
        (_stage, _intendedUse, _notes) = (_version.Stage, _card.IntendedUse, _card.Notes);
        _createdBy = _version.CreatedBy is { } id ? await Db.Users.Where(u => u.Id == id).Select(u => u.UserName).SingleOrDefaultAsync() : null;
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

    private string Download(string format) => $"/api/v1/models/{ModelId}/download?format={format}&version={Number}";

    private string InputWords() => _card switch
    {
        { Input: { } image } => $"{image.ColorMode} images, resized to {image.Width}×{image.Height}",
        { Rows: { } rows } when _card.Task == SearchTasks.TextClassification => "a text",
        { Rows: { } rows } => $"a row with {string.Join(", ", rows.Fields)}",
        _ => "–",
    };

    private static string TaskWords(SearchTask task) => task switch
    {
        SearchTasks.ImageClassification => "Image classifier",
        SearchTasks.TabularClassification => "Table classifier",
        SearchTasks.TabularRegression => "Table regression (predicts a number)",
        SearchTasks.TextClassification => "Text classifier",
        _ => task.Name(),
    };

    internal static Color StageColor(ModelStage stage) => stage switch
    {
        ModelStage.Production => Color.Success,
        ModelStage.Staging => Color.Info,
        ModelStage.Archived => Color.Dark,
        _ => Color.Default,
    };
}
