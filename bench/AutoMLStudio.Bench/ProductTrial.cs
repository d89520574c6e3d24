using System.Diagnostics;
using AutoMLStudio.Engine.Data;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Training;
using TorchSharp;

namespace AutoMLStudio.Bench;

/// <summary>What one timed training run did.</summary>
/// <param name="Images">Training images processed (train set x epochs).</param>
/// <param name="Seconds">Wall time of the whole run.</param>
/// <param name="EpochSeconds">The trainer's own epoch times (training + validation), so the rest is set-up and checkpoints.</param>
/// <param name="CpuSeconds">Processor time the whole process used meanwhile: unlike wall time, a neighbour's load barely moves it.</param>
public sealed record TimedRun(long Images, double Seconds, double EpochSeconds, double CpuSeconds)
{
    public double ImagesPerSecond => Images / Seconds;
    public double ImagesPerCpuSecond => Images / CpuSeconds;
}

/// <summary>Wall and processor time since it was started.</summary>
public sealed class RunClock
{
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly TimeSpan _cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;

    public double Seconds => _wall.Elapsed.TotalSeconds;
    public double CpuSeconds => (Process.GetCurrentProcess().TotalProcessorTime - _cpuAtStart).TotalSeconds;
}

/// <summary>A trial the way Core's TrialJob runs one: the product's trainer with a fresh checkpoint folder.</summary>
public static class ProductTrial
{
    public static async Task<TimedRun> RunAsync(TrialConfig config, ImageTensorData train, ImageTensorData validation, int threads,
        int seed, Func<EpochReport, Task>? onEpoch = null)
    {
        var folder = Directory.CreateTempSubdirectory("amls-bench-trial-").FullName;
        try
        {
            var request = new TrainingRequest(config, train, validation, folder, seed, torch.CPU, threads);
            var clock = new RunClock();
            var outcome = await ImageClassifierTrainer.TrainAsync(request, onEpoch ?? (_ => Task.CompletedTask), CancellationToken.None);
            return new TimedRun((long)train.Count * config.Training.Epochs, clock.Seconds, outcome.Epochs.Sum(e => e.Seconds), clock.CpuSeconds);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
