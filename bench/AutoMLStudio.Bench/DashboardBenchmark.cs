using System.Diagnostics;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;
using MudBlazor.Services;

namespace AutoMLStudio.Bench;

/// <summary>
/// The search page's live parts with a big search (300 trials of 50 epochs): how long the server takes to apply one
/// epoch event and draw the curves and the trial table again, and how much markup that is. Drawn with Blazor's
/// HtmlRenderer, which builds the same render trees the server builds for a circuit, whole each time: the circuit then only
/// sends the browser what changed, so these are upper bounds of the server's work. The browser's side is not in them.
/// </summary>
public static class DashboardBenchmark
{
    public static async Task RunAsync(BenchOptions options)
    {
        var trialCount = options.Int("--trials", 300);
        var epochs = options.Int("--epochs", 50);
        var rounds = options.Int("--rounds", 30);
        var searchId = Guid.NewGuid();
        var state = new SearchLiveState(searchId);
        var rng = new Random(1);
        state.Load(Enumerable.Range(1, trialCount).Select(n =>
        {
            var trial = new TrialView { Id = Guid.NewGuid(), Number = n, Status = "completed", Params = rng.Next(10_000, 500_000), ValAccuracy = rng.NextDouble() };
            trial.Epochs.AddRange(Enumerable.Range(1, epochs).Select(e => new EpochPoint(e, 2.0 / e, 2.2 / e, 1 - 1.0 / (e + 1), 30)));
            return trial;
        }));
        Console.WriteLine($"{trialCount} trials x {epochs} epochs = {trialCount * epochs:N0} curve points; {rounds} epoch events each");

        var services = new ServiceCollection().AddLogging().AddMudServices()
            // Drawing to HTML calls no JavaScript; the chart buttons only need one to exist.
            .AddSingleton<IJSRuntime, NoBrowser>().AddSingleton<NavigationManager, SearchPageAddress>().BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        var maxEpochs = epochs + rounds;
        Task<string> Curves() => DrawAsync<LearningCurves>(renderer, new() { ["Trials"] = state.Trials, ["MaxEpochs"] = maxEpochs });
        Task<string> Table() => DrawAsync<TrialTable>(renderer, new() { ["Trials"] = state.Trials, ["MaxEpochs"] = maxEpochs });
        Console.WriteLine($"markup: curves {(await Curves()).Length / 1024:N0} KB, trial table {(await Table()).Length / 1024:N0} KB");

        Spread apply = new(), drawCurves = new(), drawTable = new();
        var running = state.Trials[^1];
        for (var round = 0; round < rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            state.Apply(new EpochCompleted(searchId, running.Id, running.Number, epochs + round + 1, 0.1, 0.1, 0.95, 30));
            apply.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            await Curves();
            drawCurves.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            await Table();
            drawTable.Add(clock.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"apply one event (ms):        {apply.Format("0.000")}");
        Console.WriteLine($"draw the curves (ms):        {drawCurves.Format("0.0")}");
        Console.WriteLine($"draw the trial table (ms):   {drawTable.Format("0.0")}");
        Console.WriteLine($"so at most {1000 / (drawCurves.Median + drawTable.Median):0} redraws a second; the page draws at most 4 (one every 250 ms, however many events)");
    }

    private static Task<string> DrawAsync<TComponent>(HtmlRenderer renderer, Dictionary<string, object?> parameters) where TComponent : IComponent =>
        renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters))).ToHtmlString());

    private sealed class SearchPageAddress : NavigationManager
    {
        public SearchPageAddress() => Initialize("http://localhost/", "http://localhost/searches/bench");
    }

    private sealed class NoBrowser : IJSRuntime
    {
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) =>
            throw new InvalidOperationException("No browser while drawing to HTML.");

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
            throw new InvalidOperationException("No browser while drawing to HTML.");
    }
}
