using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Web.Components.Pages.Endpoints;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MudBlazor;
using MudBlazor.Services;

namespace AutoMLStudio.Web.UiTests;

/// <summary>Pages that re-read something on a timer: one failed read must not stop the next ones.</summary>
public sealed class PollingTests : BunitContext, IAsyncLifetime
{
    private readonly FaultOnceClock _clock = new();
    private readonly LogSink _logs = new();
    private readonly EndpointMonitor _monitor;

    public PollingTests()
    {
        _monitor = new EndpointMonitor(_clock);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLogging(logging => logging.AddProvider(_logs));
        Services.AddSingleton(_monitor);
        Render<MudPopoverProvider>();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => base.DisposeAsync().AsTask();

    [Fact]
    public void A_monitoring_refresh_that_fails_once_is_logged_and_the_next_refresh_still_shows_new_requests()
    {
        var summary = TryItPanelTests.ImageEndpoint();
        var cut = Render<MonitoringPanel>(p => p.Add(c => c.Summary, summary));
        Assert.Equal("0", cut.Find(".total-requests .total-value").TextContent.Trim());

        _monitor.Record(summary.Endpoint.Id, 12, succeeded: true);
        _clock.FailNextRead();

        // The first tick (after 3 s) fails on the clock; the second one must still come and show the request.
        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find(".total-requests .total-value").TextContent.Trim()),
            TimeSpan.FromSeconds(4 * MonitoringPanel.RefreshSeconds));
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Warning && e.Exception is FaultOnceClock.Fault);
    }

    [Fact]
    public async Task The_monitoring_refresh_stops_when_the_panel_is_disposed()
    {
        var summary = TryItPanelTests.ImageEndpoint();
        var cut = Render<MonitoringPanel>(p => p.Add(c => c.Summary, summary));
        await DisposeComponentsAsync();

        _clock.FailNextRead();
        await Task.Delay(TimeSpan.FromSeconds(MonitoringPanel.RefreshSeconds + 1));

        Assert.True(_clock.Armed, "a disposed panel read the monitor again");
        Assert.DoesNotContain(_logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    /// <summary>The system clock, except that one read can be made to fail, as a lost database connection fails one poll.</summary>
    private sealed class FaultOnceClock : TimeProvider
    {
        public sealed class Fault() : Exception("the clock failed once, on purpose");

        private int _armed;

        public bool Armed => Volatile.Read(ref _armed) == 1;

        public void FailNextRead() => Volatile.Write(ref _armed, 1);

        public override DateTimeOffset GetUtcNow()
        {
            if (Interlocked.Exchange(ref _armed, 0) == 1) throw new Fault();
            return System.GetUtcNow();
        }
    }
}
