using System.Security.Claims;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Core.Identity;
using AutoMLStudio.Web.Auth;
using AutoMLStudio.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace AutoMLStudio.Web.Components.Pages.Endpoints;

public partial class ApiPanel
{
    private IReadOnlyList<EndpointKeyView>? _keys;
    private string? _keyName;
    private int? _requestsPerSecond;
    private readonly BusyAction _create = new();

    [Parameter, EditorRequired] public EndpointSummary Summary { get; set; } = default!;
    [Parameter] public bool CanEdit { get; set; }
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IServiceScopeFactory Scopes { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    private string PredictUrl => SampleRequests.PredictUrl(Navigation.BaseUri, Summary.Endpoint.Id);

    protected override async Task OnInitializedAsync()
    {
        if (CanEdit) await LoadKeysAsync();
    }

    // Each action in a scope of its own: the page's DbContext may be busy with another of the page's reads.
    private async Task LoadKeysAsync()
    {
        await using var scope = Scopes.CreateAsyncScope();
        _keys = (await scope.ServiceProvider.GetRequiredService<EndpointQueries>().KeysAsync(Summary.Endpoint.Id, PageRequest.All, CancellationToken.None)).Items;
    }

    private async Task CreateKeyAsync()
    {
        CreatedApiKey? created = null;
        var done = await RunAsync(_create, async () =>
        {
            var user = (await AuthState).User.FindFirstValue(ClaimTypes.NameIdentifier)
                       ?? throw new UserInputException("Not signed in", "Sign in again.");
            await using (var scope = Scopes.CreateAsyncScope())
                created = await scope.ServiceProvider.GetRequiredService<CreateApiKey>()
                    .ForEndpointAsync(user, Summary.Endpoint.Id, _keyName, _requestsPerSecond, CancellationToken.None);
            _keyName = null;
            _requestsPerSecond = null;
            await LoadKeysAsync();
        });
        if (done) await ApiKeySecretDialog.ShowAsync(Dialogs, created!);
    }

    private async Task RevokeAsync(EndpointKeyView key)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync($"Revoke the key '{key.Name}'?",
            "Programs using it are refused from now on. This cannot be undone; create a new key to let them in again.",
            yesText: "Revoke", cancelText: "Keep it");
        if (confirmed != true) return;
        await using (var scope = Scopes.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<RevokeApiKey>().HandleAsync(key.Id, endpointId: Summary.Endpoint.Id);
        await LoadKeysAsync();
    }
}
