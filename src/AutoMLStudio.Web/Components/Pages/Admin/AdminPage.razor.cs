using System.Security.Claims;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Admin;
using AutoMLStudio.Core.Devices;
using AutoMLStudio.Core.Identity;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Web.Auth;
using AutoMLStudio.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace AutoMLStudio.Web.Components.Pages.Admin;

public partial class AdminPage : IDisposable
{
    /// <summary>A person's row with the limit being edited.</summary>
    private sealed class UserLimitRow(string id, string email, string role, int? limit)
    {
        public string Id { get; } = id;
        public string Email { get; } = email;
        public string Role { get; } = role;
        public int? Limit { get; set; } = limit;
    }

    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(3);
    private readonly CancellationTokenSource _disposed = new();
    private List<DeviceActivityRow>? _devices;
    private List<DeviceTrial>? _waiting;
    private List<UserLimitRow>? _users;
    private readonly BusyAction _act = new();
    private IReadOnlyList<ApiKeyView>? _keys;
    private string? _newKeyName;
    private readonly BusyAction _createKey = new();
    private IReadOnlyList<AdminActionView>? _audit;

    [Inject] private AdminQueries AdminData { get; set; } = default!;
    [Inject] private ApiKeyQueries Keys { get; set; } = default!;
    [Inject] private IServiceScopeFactory Scopes { get; set; } = default!;
    [Inject] private Microsoft.Extensions.Options.IOptions<StudioOptions> Options { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    private int DefaultLimit => Options.Value.Training.MaxConcurrentTrialsPerUser;

    private string? _adminId;

    private Task ReloadAsync() => LoadAsync();

    protected override async Task OnInitializedAsync()
    {
        _adminId = await UserIdAsync();
        await LoadAsync();
        _ = RefreshAsync();
    }

    private async Task LoadAsync()
    {
        _keys = await Keys.AllAsync(CancellationToken.None);
        _audit = (await AdminData.AuditAsync(new PageRequest(0, 50), CancellationToken.None)).Items;
        _users = [.. (await AdminData.UsersAsync(PageRequest.All, CancellationToken.None)).Items.Select(u => new UserLimitRow(u.Id, u.Email, u.Role, u.MaxConcurrentTrials))];
        await LoadActivityAsync();
    }

    // Its own scope each time: the timer's reads must not share the circuit's DbContext with a click being handled.
    private async Task LoadActivityAsync()
    {
        await using var scope = Scopes.CreateAsyncScope();
        var activity = scope.ServiceProvider.GetRequiredService<DeviceActivity>();
        _devices = await activity.DevicesAsync(_disposed.Token);
        _waiting = await activity.WaitingAsync(_disposed.Token);
    }

    // Trials start, end and move between devices on their own, so the page re-reads them every few seconds.
    private Task RefreshAsync() => PollAsync(RefreshEvery, async () =>
    {
        if (!_act.Busy) await LoadActivityAsync();
    }, _disposed.Token);

    private static string MemoryText(NodeDevice device) => device.MemoryBytes <= 0
        ? "unknown"
        : device.FreeMemoryBytes > 0 ? $"{Formats.Bytes(device.FreeMemoryBytes)} / {Formats.Bytes(device.MemoryBytes)}" : Formats.Bytes(device.MemoryBytes);

    private static Color ModeColor(DeviceMode mode) => mode switch
    {
        DeviceMode.Paused => Color.Warning,
        DeviceMode.Draining => Color.Info,
        _ => Color.Success,
    };

    private async Task<string?> UserIdAsync() => (await AuthState).User.FindFirstValue(ClaimTypes.NameIdentifier);

    private Task PauseAsync(string deviceId) => ActAsync(async user => await ScopedAsync<ControlDevices>(c => c.PauseAsync(deviceId, user, CancellationToken.None)));
    private Task DrainAsync(string deviceId) => ActAsync(async user => await ScopedAsync<ControlDevices>(c => c.DrainAsync(deviceId, user, CancellationToken.None)));
    private Task ResumeAsync(string deviceId) => ActAsync(async user => await ScopedAsync<ControlDevices>(c => c.ResumeAsync(deviceId, user, CancellationToken.None)));
    private Task PauseAllAsync() => ActAsync(async user => await ScopedAsync<ControlDevices>(c => c.PauseAllAsync(user, CancellationToken.None)));
    private Task ResumeAllAsync() => ActAsync(async user => await ScopedAsync<ControlDevices>(c => c.ResumeAllAsync(user, CancellationToken.None)));

    private Task CancelTrialAsync(DeviceTrial trial) =>
        ActAsync(async user => await ScopedAsync<ControlSearch>(c => c.CancelTrialAsync(trial.SearchId, trial.TrialId, user, _disposed.Token)));

    private Task SetPriorityAsync(Guid searchId, string priority) =>
        ActAsync(async user => await ScopedAsync<ControlSearch>(c => c.SetPriorityAsync(searchId, priority, user, _disposed.Token)));

    private Task SaveLimitAsync(UserLimitRow row) =>
        ActAsync(async user => await ScopedAsync<SetTrialLimit>(s => s.HandleAsync(row.Id, row.Limit, user, _disposed.Token)));

    private async Task ScopedAsync<T>(Func<T, Task> action) where T : notnull
    {
        await using var scope = Scopes.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<T>());
    }

    private Task ActAsync(Func<string?, Task> action) => RunAsync(_act, async () =>
    {
        try
        {
            await action(await UserIdAsync());
        }
        finally
        {
            // Still busy meanwhile, so the refresh does not use the page's DbContext at the same time. Changes run in
            // their own scopes, so this reads what they wrote, not what the circuit's DbContext tracked before.
            await LoadAsync();
        }
    });

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }

    private async Task CreateKeyAsync()
    {
        CreatedApiKey? created = null;
        var done = await RunAsync(_createKey, async () =>
        {
            var user = (await AuthState).User.FindFirstValue(ClaimTypes.NameIdentifier)
                       ?? throw new UserInputException("Not signed in", "Sign in again.");
            // Its own scope, as every change here: the circuit's DbContext only reads, so it never holds a stale tracked key.
            await using var scope = Scopes.CreateAsyncScope();
            created = await scope.ServiceProvider.GetRequiredService<CreateApiKey>().HandleAsync(user, _newKeyName, CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<RecordAdminAction>().HandleAsync(user, AdminActions.ApiKeyCreated, created.Id.ToString(),
                $"Key '{created.Name}' created on the admin page.", CancellationToken.None);
            _newKeyName = null;
            await LoadAsync();
        });
        if (done) await ApiKeySecretDialog.ShowAsync(Dialogs, created!);
    }

    private async Task RevokeAsync(Guid id)
    {
        await using (var scope = Scopes.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<RevokeApiKey>().HandleAsync(id);
            await scope.ServiceProvider.GetRequiredService<RecordAdminAction>().HandleAsync(await UserIdAsync(), AdminActions.ApiKeyRevoked, id.ToString(),
                "Key revoked on the admin page.", CancellationToken.None);
        }
        await LoadAsync();
    }
}
