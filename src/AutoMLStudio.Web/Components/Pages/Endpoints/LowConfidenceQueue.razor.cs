using AutoMLStudio.Core;
using AutoMLStudio.Core.Hosting;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using AutoMLStudio.Web.Components.Shared;

namespace AutoMLStudio.Web.Components.Pages.Endpoints;

public partial class LowConfidenceQueue
{
    private readonly HashSet<Guid> _selected = [];
    private readonly BusyAction _send = new();
    private SendToDataset.Result? _sent;

    [Parameter, EditorRequired] public Guid EndpointId { get; set; }
    /// <summary>The queue, newest first; re-read by the monitoring tab every few seconds.</summary>
    [Parameter, EditorRequired] public IReadOnlyList<LowConfidenceInput> Inputs { get; set; } = [];
    [Parameter] public bool CanEdit { get; set; }
    /// <summary>After inputs left the queue for the dataset.</summary>
    [Parameter] public EventCallback OnSent { get; set; }
    [Inject] private IServiceScopeFactory Scopes { get; set; } = default!;

    // An input that left the queue (sent by someone else, or pushed out by newer ones) can no longer be chosen.
    protected override void OnParametersSet() => _selected.IntersectWith(Inputs.Select(i => i.Id));

    private void Toggle(Guid id, bool on)
    {
        if (on) _selected.Add(id);
        else _selected.Remove(id);
    }

    private void SelectAll()
    {
        if (_selected.Count == Inputs.Count) _selected.Clear();
        else _selected.UnionWith(Inputs.Select(i => i.Id));
    }

    private Task SendAsync()
    {
        _sent = null;
        return RunAsync(_send, async () =>
        {
            // A scope of its own: the page's DbContext may be busy with another of the page's reads.
            await using var scope = Scopes.CreateAsyncScope();
            _sent = await scope.ServiceProvider.GetRequiredService<SendToDataset>().HandleAsync(EndpointId, [.. _selected], CancellationToken.None);
            _selected.Clear();
            await OnSent.InvokeAsync();
        });
    }
}
