using System.Collections.Concurrent;
using AutoMLStudio.Engine.Native;
using AutoMLStudio.Engine.Training;
using TorchSharp;

namespace AutoMLStudio.Bench;

/// <summary>
/// CPU placement: one trial with a torch thread per core against one single-threaded trial per core side by side in
/// this one process, as the studio's CPU queue runs them. libtorch's intra-op thread count is process-wide, so both
/// trials share the setting of 1; each then computes on its own calling thread. Processor time over wall time shows
/// how many cores each mode really kept busy.
/// </summary>
public static class PackingBenchmark
{
    public static async Task RunAsync(BenchOptions options)
    {
        TorchNative.EnsureLoaded();
        var cores = Environment.ProcessorCount;
        var rounds = options.Int("--rounds", 3);
        var (data, name) = BenchSources.LoadImages(options.FashionMnist, options.Int("--limit", 6_000));
        var (train, validation) = ReferenceCnn.Split(data, data.Count / 10);
        var config = ReferenceCnn.Config(train, options.Int("--batch", 64), options.Int("--epochs", 2));
        Console.WriteLine($"machine: {cores} cores; data: {name}; reference CNN, batch {config.Training.BatchSize}, " +
                          $"{config.Training.Epochs} epoch(s) of {train.Count:N0} images per trial");

        var threadsSeen = new ConcurrentBag<int>();
        // Like TrialJob's epoch callback, which awaits the database: training goes on from another pool thread.
        async Task Observe(EpochReport _)
        {
            await Task.Yield();
            threadsSeen.Add(torch.get_num_threads());
        }

        var single = new Spread();
        var packed = new Spread();
        var ratios = new Spread();
        var singleCores = new Spread();
        var packedCores = new Spread();
        for (var round = 0; round < rounds; round++)
        {
            var one = await ProductTrial.RunAsync(config, train, validation, threads: cores, seed: round);
            var clock = new RunClock();
            var side = await Task.WhenAll(Enumerable.Range(0, cores).Select(slot =>
                Task.Run(() => ProductTrial.RunAsync(config, train, validation, threads: 1, seed: round * cores + slot, Observe))));
            var packedRun = new TimedRun(side.Sum(r => r.Images), clock.Seconds, side.Max(r => r.EpochSeconds), clock.CpuSeconds);

            single.Add(one.ImagesPerSecond);
            packed.Add(packedRun.ImagesPerSecond);
            ratios.Add(packedRun.ImagesPerSecond / one.ImagesPerSecond);
            singleCores.Add(one.CpuSeconds / one.Seconds);
            packedCores.Add(packedRun.CpuSeconds / packedRun.Seconds);
            Console.WriteLine($"  round {round + 1}: one {cores}-thread trial {one.ImagesPerSecond,7:N0} images/s ({one.CpuSeconds / one.Seconds:0.00} cores busy)   " +
                              $"{cores} one-thread trials {packedRun.ImagesPerSecond,7:N0} images/s ({packedRun.CpuSeconds / packedRun.Seconds:0.00} cores busy)");
        }

        Console.WriteLine($"one trial, {cores} threads       images/s  {single}");
        Console.WriteLine($"{cores} trials, 1 thread each   images/s  {packed}");
        Console.WriteLine($"ratio packed / one            {ratios.Format("0.00")}   (earlier measurement: 1.69)");
        Console.WriteLine($"cores busy: one trial {singleCores.Format("0.00")}; packed {packedCores.Format("0.00")}");
        Console.WriteLine($"torch threads seen by packed trials after an await on another thread: {string.Join(", ", threadsSeen.Distinct().Order())}");
        Console.WriteLine(ratios.Median > 1.1
            ? $"placement: packing wins; the studio's default is one single-threaded trial per core (Studio:Training:CpuSlots 0 = {cores}, ThreadsPerTrial 0 = 1)"
            : "placement: packing does not win here; set Studio:Training:CpuSlots to 1 so one trial uses every core");
    }
}
