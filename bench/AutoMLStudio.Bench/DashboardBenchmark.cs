using System.Diagnostics;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Web.Components.Shared;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AutoMLStudio.Bench;

/// <summary>
/// The search page's live parts with a big search (300 trials of 50 epochs): how long the server takes to apply one
/// epoch event and redraw the curves and the trial table, and how much markup that is. Rendered with bUnit's Blazor
/// renderer, which builds and diffs render trees as the server does; the browser's side is not in these figures.
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

        await using var context = new BunitContext();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices();
        var curves = context.Render<LearningCurves>(p => p.Add(c => c.Trials, state.Trials).Add(c => c.MaxEpochs, epochs + rounds));
        var table = context.Render<TrialTable>(p => p.Add(c => c.Trials, state.Trials).Add(c => c.MaxEpochs, epochs + rounds));
        Console.WriteLine($"markup: curves {curves.Markup.Length / 1024:N0} KB, trial table {table.Markup.Length / 1024:N0} KB");

        Spread apply = new(), drawCurves = new(), drawTable = new();
        var running = state.Trials[^1];
        for (var round = 0; round < rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            state.Apply(new EpochCompleted(searchId, running.Id, running.Number, epochs + round + 1, 0.1, 0.1, 0.95, 30));
            apply.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            curves.Render();
            drawCurves.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            table.Render();
            drawTable.Add(clock.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"apply one event (ms):        {apply.Format("0.000")}");
        Console.WriteLine($"redraw the curves (ms):      {drawCurves.Format("0.0")}");
        Console.WriteLine($"redraw the trial table (ms): {drawTable.Format("0.0")}");
        Console.WriteLine($"so at most {1000 / (drawCurves.Median + drawTable.Median):0} redraws a second; the page draws at most 4 (one every 250 ms, however many events)");
    }
}
