using System.Diagnostics;
using AutoMLStudio.Engine.Backbones;
using AutoMLStudio.Engine.Devices;
using AutoMLStudio.Engine.Models;
using AutoMLStudio.Engine.Native;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Training;
using TorchSharp;

namespace AutoMLStudio.Bench;

/// <summary>
/// What a "fine-tune this backbone" trial costs where the studio trains it, beside the reference CNN: seconds per
/// epoch and images per second for ResNet-18 and MobileNetV2 in each freeze mode, on Fashion-MNIST-sized images
/// (upsampled to 64 pixels inside the model), through the product's trainer. The weights are stand-ins of
/// ImageNet's layout (there is no internet here to fetch the real ones); cost does not depend on their values.
/// </summary>
public static class BackboneCostBenchmark
{
    public static async Task RunAsync(BenchOptions options)
    {
        var (data, name) = BenchSources.LoadImages(options.FashionMnist, options.Int("--limit", 2_500));
        var (train, validation) = ReferenceCnn.Split(data, options.Int("--validation", 500));
        var epochs = options.Int("--epochs", 2);
        var threads = options.Int("--threads", 2);
        var batch = options.Int("--batch", 64);
        TorchNative.EnsureLoaded();
        torch.set_num_threads(threads);
        var device = DeviceDetector.Resolve("cpu");
        var folder = Directory.CreateTempSubdirectory("amls-bench-backbones").FullName;
        Console.WriteLine($"{name}: {train.Count:N0} training and {validation.Count:N0} validation images of {data.Channels}x{data.Size}x{data.Size}; " +
                          $"{epochs} epochs, batch {batch}, {threads} threads, no augmentation");
        Console.WriteLine("network | mode | trainable | forward MACs/image | est. memory | setup s | epoch s (each) | train images/s (last epoch)");
        try
        {
            var reference = ReferenceCnn.Config(data, batch, epochs);
            await RowAsync("reference CNN", "full", reference, null);
            foreach (var architecture in BackboneArchitectures.All)
            {
                var weights = Path.Combine(folder, $"{architecture}.dat");
                using (var standIn = BackboneFactory.Build(new BackboneSpec(architecture, 3, 64, BackboneArchitectures.ImageNetClasses))) standIn.save(weights);
                foreach (var mode in FineTuneSettings.BackboneModes)
                {
                    var config = reference with
                    {
                        Architecture = reference.Architecture with { Blocks = [], DenseUnits = 0, Backbone = architecture },
                        FineTune = new FineTuneSettings(mode, 0.1),
                    };
                    await RowAsync(BackboneArchitectures.DisplayName(architecture), mode, config, weights);
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        async Task RowAsync(string network, string mode, TrialConfig config, string? weights)
        {
            var wall = Stopwatch.StartNew();
            var seconds = new List<double>();
            var request = new TrainingRequest(config, train, validation, Path.Combine(folder, Guid.NewGuid().ToString("N")), 1, device, threads,
                InitialWeights: weights);
            var outcome = await ImageClassifierTrainer.TrainAsync(request, r => { seconds.Add(r.Seconds); return Task.CompletedTask; }, CancellationToken.None);
            var setup = wall.Elapsed.TotalSeconds - seconds.Sum();
            using var model = CnnModelFactory.Build(config.Architecture);
            var trainable = model is BackboneClassifier backbone ? backbone.Freeze(config.FineTune!.FreezeMode).Count : CnnSearchSpace.CountParameters(config.Architecture);
            Console.WriteLine($"{network} | {mode} | {trainable:N0} | {CnnSearchSpace.CountFlops(config.Architecture):N0} | " +
                              $"{TrainingMemory.EstimateBytes(config.Architecture, batch) / 1048576.0:N0} MiB | {setup:F1} | " +
                              $"{string.Join(" / ", seconds.Select(s => s.ToString("F1")))} | {train.Count / seconds[^1]:N0}" +
                              $"   (validation accuracy {outcome.BestValAccuracy:P1}, stand-in weights)");
        }
    }
}
