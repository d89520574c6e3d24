using System.Security.Claims;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Admin;
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
    private Dictionary<string, DeviceMode> _modes = [];
    private List<AdminAction>? _audit;
    private bool _busy;

    [Inject] private StudioDbContext Db { get; set; } = default!;
    [Inject] private StudioDevices Devices { get; set; } = default!;
    [Inject] private CreateApiKey Create { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private Core.Identity.RevokeApiKey Revoke { get; set; } = default!;
    [Inject] private ControlDevices Control { get; set; } = default!;
    [Inject] private RecordAdminAction Audit { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _keys = (await Db.ApiKeys.AsNoTracking().Include(k => k.User).ToListAsync()).OrderByDescending(k => k.CreatedAt).ToList();
        _modes = await ControlDevices.ModesAsync(Db, CancellationToken.None);
        _audit = await RecordAdminAction.NewestAsync(Db, 50, CancellationToken.None);
    }

    private DeviceMode ModeOf(string deviceId) => _modes.GetValueOrDefault(deviceId, DeviceMode.Active);

    private static Color ModeColor(DeviceMode mode) => mode switch
    {
        DeviceMode.Paused => Color.Warning,
        DeviceMode.Draining => Color.Info,
        _ => Color.Success,
    };

    private async Task<string?> UserIdAsync() => (await AuthState).User.FindFirstValue(ClaimTypes.NameIdentifier);

    private Task PauseAsync(string deviceId) => ActAsync(async user => await Control.PauseAsync(deviceId, user, CancellationToken.None));
    private Task DrainAsync(string deviceId) => ActAsync(async user => await Control.DrainAsync(deviceId, user, CancellationToken.None));
    private Task ResumeAsync(string deviceId) => ActAsync(async user => await Control.ResumeAsync(deviceId, user, CancellationToken.None));
    private Task PauseAllAsync() => ActAsync(async user => await Control.PauseAllAsync(user, CancellationToken.None));
    private Task ResumeAllAsync() => ActAsync(async user => await Control.ResumeAllAsync(user, CancellationToken.None));

    private async Task ActAsync(Func<string?, Task> action)
    {
        _busy = true;
        try
        {
            await action(await UserIdAsync());
            Db.ChangeTracker.Clear();
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task CreateKeyAsync()
    {
        _creating = true;
        _error = null;
        try
        {
            var user = (await AuthState).User.FindFirstValue(ClaimTypes.NameIdentifier)
                       ?? throw new UserInputException("Not signed in", "Sign in again.");
            var created = await Create.HandleAsync(user, _newKeyName, CancellationToken.None);
            await Audit.HandleAsync(user, AdminActions.ApiKeyCreated, created.Id.ToString(), $"Key '{created.Name}' created on the admin page.", CancellationToken.None);
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
        await Audit.HandleAsync(await UserIdAsync(), AdminActions.ApiKeyRevoked, id.ToString(), "Key revoked on the admin page.", CancellationToken.None);
        Db.ChangeTracker.Clear();
        await LoadAsync();
    }
}
