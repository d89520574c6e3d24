using AutoMLStudio.Core.Hosting;
using Microsoft.AspNetCore.Components;

namespace AutoMLStudio.Web.Components.Pages.Endpoints;

public partial class MonitoringPanel : IDisposable
{
    public const int RefreshSeconds = 3;

    private static readonly (int Minutes, string Label)[] Windows = [(15, "15 min"), (60, "1 hour"), (24 * 60, "24 hours")];

    private int _minutes = 60;
    private MinuteStats _total = new(DateTimeOffset.UtcNow, 0, 0, 0, null, null, null, new Dictionary<string, long>());
    private IReadOnlyList<MinuteStats> _perMinute = [];
    private IReadOnlyList<DateTimeOffset> _minuteStamps = [];
    private ClassDrift? _drift;
    private IReadOnlyList<LowConfidenceInput> _lowConfidence = [];
    private DateTimeOffset _refreshedAt;
    private readonly CancellationTokenSource _disposed = new();

    [Parameter, EditorRequired] public EndpointSummary Summary { get; set; } = default!;
    [Parameter] public bool CanEdit { get; set; }
    [Inject] private EndpointMonitor Monitor { get; set; } = default!;

    private (string Name, double? Value, string Hint)[] Latencies =>
    [
        ("p50", _total.P50Ms, "half of the requests were faster"),
        ("p95", _total.P95Ms, "95 in 100 were faster"),
        ("p99", _total.P99Ms, "99 in 100 were faster"),
    ];

    private IReadOnlyList<ChartSeries> TrafficSeries =>
    [
        new("requests", "Requests", "#1e88e5", [.. _perMinute.Select(m => (double?)m.Requests)]),
        new("errors", "Failed", "#e53935", [.. _perMinute.Select(m => (double?)m.Errors)]),
    ];

    private IReadOnlyList<ChartSeries> LatencySeries =>
    [
        new("p50", "p50 (median)", "#43a047", [.. _perMinute.Select(m => m.P50Ms)]),
        new("p95", "p95", "#fb8c00", [.. _perMinute.Select(m => m.P95Ms)]),
        new("p99", "p99", "#8e24aa", [.. _perMinute.Select(m => m.P99Ms)]),
    ];

    protected override void OnParametersSet() => Read();

    protected override void OnAfterRender(bool firstRender)
    {
        // Only once interactive: a prerendered copy of the page never sees a tick.
        if (firstRender) _ = RefreshPeriodicallyAsync();
    }

    private Task RefreshPeriodicallyAsync() => PollAsync(TimeSpan.FromSeconds(RefreshSeconds), Read, _disposed.Token);

    private void ChangeWindow(int minutes)
    {
        _minutes = minutes;
        Read();
    }

    private void Refresh()
    {
        Read();
        StateHasChanged();
    }

    // All in memory (the monitor and the card already loaded): a refresh every few seconds costs no database query.
    private void Read()
    {
        var id = Summary.Endpoint.Id;
        _total = Monitor.Total(id, _minutes);
        _perMinute = Monitor.Minutes(id, _minutes);
        _minuteStamps = [.. _perMinute.Select(m => m.Minute)];
        _drift = Summary.IsRegression ? null : ClassDrift.For(Summary.Card, _total.Classes);
        _lowConfidence = Monitor.LowConfidence(id);
        _refreshedAt = DateTimeOffset.UtcNow;
    }

    public void Dispose()
    {
        _disposed.Cancel();
    }
}
