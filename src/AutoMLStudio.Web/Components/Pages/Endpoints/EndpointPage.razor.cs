using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Web.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace AutoMLStudio.Web.Components.Pages.Endpoints;

public partial class EndpointPage
{
    private EndpointSummary? _summary;
    private bool _notFound;
    private bool _canEdit;
    private int _tab;

    [Parameter] public Guid Id { get; set; }
    [Inject] private EndpointQueries Endpoints { get; set; } = default!;
    [Inject] private IAuthorizationService Authorization { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        _canEdit = (await Authorization.AuthorizeAsync((await AuthState).User, StudioPolicies.Editor)).Succeeded;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _summary = await Endpoints.FindAsync(Id, CancellationToken.None) is { } endpoint ? new EndpointSummary(endpoint) : null;
        _notFound = _summary is null;
    }
}
