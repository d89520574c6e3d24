using System.Security.Claims;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Devices;
using AutoMLStudio.Core.Identity;
using AutoMLStudio.Web.Auth;
using AutoMLStudio.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace AutoMLStudio.Web.Components.Pages.Admin;

public partial class AdminPage
{
    private List<ApiKey>? _keys;
    private string? _newKeyName;
    private bool _creating;
    private string? _error;

    [Inject] private StudioDbContext Db { get; set; } = default!;
    [Inject] private StudioDevices Devices { get; set; } = default!;
    [Inject] private CreateApiKey Create { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private Core.Identity.RevokeApiKey Revoke { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync() =>
        _keys = (await Db.ApiKeys.AsNoTracking().Include(k => k.User).ToListAsync()).OrderByDescending(k => k.CreatedAt).ToList();

    private async Task CreateKeyAsync()
    {
        _creating = true;
        _error = null;
        try
        {
            var user = (await AuthState).User.FindFirstValue(ClaimTypes.NameIdentifier)
                       ?? throw new UserInputException("Not signed in", "Sign in again.");
            var created = await Create.HandleAsync(user, _newKeyName, CancellationToken.None);
            _newKeyName = null;
            await LoadAsync();
            await ApiKeySecretDialog.ShowAsync(Dialogs, created);
        }
        catch (UserInputException e)
        {
            _error = e.Detail;
        }
        finally
        {
            _creating = false;
        }
    }

    private async Task RevokeAsync(Guid id)
    {
        await Revoke.HandleAsync(id);
        Db.ChangeTracker.Clear();
        await LoadAsync();
    }
}
