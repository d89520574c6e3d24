using AutoMLStudio.Engine.Native;
using TorchSharp;

namespace AutoMLStudio.Bench;

/// <summary>
/// Training throughput of the reference CNN run as a product trial (the trainer TrialJob calls, with validation and
/// checkpoints every epoch) against a bare TorchSharp loop over the same model, data, batch size and threads. The two
/// alternate (ABBA) so a neighbour's load on a shared machine hits both alike.
/// </summary>
public static class ThroughputBenchmark
{
    public static async Task RunAsync(BenchOptions options)
    {
        TorchNative.EnsureLoaded();
        var threads = options.Int("--threads", Environment.ProcessorCount);
        var rounds = options.Int("--rounds", 4);
        var (data, name) = BenchSources.LoadImages(options.FashionMnist, options.Int("--limit", 6_000));
        var (train, validation) = ReferenceCnn.Split(data, options.Int("--validation", data.Count / 10));
        var config = ReferenceCnn.Config(train, options.Int("--batch", 64), options.Int("--epochs", 1));
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {threads} torch threads; data: {name}");
        Console.WriteLine($"reference CNN: conv32-pool-conv64-pool-dense128, batch {config.Training.BatchSize}, " +
                          $"{config.Training.Epochs} epoch(s) of {train.Count:N0} images, validation {validation.Count:N0}");

        // Untimed: the first run pays for loading libtorch's kernels and the allocator's first growth.
        var warmUp = ReferenceCnn.Config(train, config.Training.BatchSize, 1);
        var warmUpData = train.Subset(Enumerable.Range(0, Math.Min(1_000, train.Count)).ToArray());
        BareTorchLoop.Run(warmUp, warmUpData, threads, seed: 1);
        await ProductTrial.RunAsync(warmUp, warmUpData, validation, threads, seed: 1);

        var product = new Spread();
        var bare = new Spread();
        var ratios = new Spread();
        var cpuRatios = new Spread();
        var outsideEpochs = new Spread();
        for (var round = 0; round < rounds; round++)
        {
            TimedRun productRun, bareRun;
            if (round % 2 == 0)
            {
                productRun = await ProductTrial.RunAsync(config, train, validation, threads, seed: round);
                bareRun = BareTorchLoop.Run(config, train, threads, seed: round);
            }
            else
            {
                bareRun = BareTorchLoop.Run(config, train, threads, seed: round);
                productRun = await ProductTrial.RunAsync(config, train, validation, threads, seed: round);
            }
            product.Add(productRun.ImagesPerSecond);
            bare.Add(bareRun.ImagesPerSecond);
            ratios.Add(productRun.ImagesPerSecond / bareRun.ImagesPerSecond);
            cpuRatios.Add(productRun.ImagesPerCpuSecond / bareRun.ImagesPerCpuSecond);
            outsideEpochs.Add(productRun.Seconds - productRun.EpochSeconds);
            Console.WriteLine($"  round {round + 1}: product {productRun.ImagesPerSecond,7:N0} images/s ({productRun.Seconds:0.00} s, " +
                              $"{productRun.Seconds - productRun.EpochSeconds:0.00} s outside epochs)   bare {bareRun.ImagesPerSecond,7:N0} images/s ({bareRun.Seconds:0.00} s)");
        }

        Console.WriteLine($"product trial  images/s  {product}");
        Console.WriteLine($"bare loop      images/s  {bare}");
        Console.WriteLine($"ratio product / bare     {ratios.Format("0.000")}   (target >= 0.9; each round's pair)");
        Console.WriteLine($"  per CPU-second         {cpuRatios.Format("0.000")}   (images per processor-second: steadier on a shared machine)");
        Console.WriteLine($"product time outside epochs (model build, checkpoints) {outsideEpochs.Format("0.00")} s");
    }
}
