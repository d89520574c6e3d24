using System.Diagnostics;
using System.IO.Compression;
using AutoMLStudio.Engine.Data;
using AutoMLStudio.Engine.Devices;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Bench;

/// <summary>
/// Trains the CNN space's starting points (trials 1 and 2 of every model-based search) on a Fashion-MNIST subset and
/// prints test accuracy, parameters, FLOPs and time: a quick check that the space contains strong networks.
/// </summary>
public static class StartingPointBenchmark
{
    public static async Task RunAsync(string folder, int trainCount, int epochs, int threads)
    {
        var train = Read(folder, "train", trainCount + 5000);
        var test = Read(folder, "t10k", 10_000);
        var (fit, validation) = (Slice(train, 0, trainCount), Slice(train, trainCount, 5000));
        var mean = fit.Pixels.Average();
        var std = (float)Math.Sqrt(fit.Pixels.Average(p => (p - mean) * (p - mean)));
        var context = new SearchSpaceContext(1, 28, 10, [mean], [std], epochs);
        var device = DeviceDetector.Resolve("cpu");
        Console.WriteLine($"Fashion-MNIST: {fit.Count} training, {validation.Count} validation, {test.Count} test images; {epochs} epochs, {threads} threads");

        var points = CnnStartingPoints.For(context);
        for (var i = 0; i < points.Count; i++)
        {
            var config = CnnParameterSpace.Decode(points[i], context);
            var folderPath = Directory.CreateTempSubdirectory("amls-bench-start-").FullName;
            var clock = Stopwatch.StartNew();
            var outcome = await ImageClassifierTrainer.TrainAsync(new TrainingRequest(config, fit, validation, folderPath, Seed: 1, device, threads),
                epoch =>
                {
                    Console.WriteLine($"  trial {i + 1} epoch {epoch.Epoch}: train loss {epoch.TrainLoss:0.000}, val accuracy {epoch.ValAccuracy:P2}, {epoch.Seconds:0.0} s");
                    return Task.CompletedTask;
                }, CancellationToken.None);
            var result = ImageClassifierTrainer.Evaluate(config.Architecture, outcome.BestWeightsPath, test, device);
            Console.WriteLine($"Trial {i + 1}: {TrialConfigDescription.Architecture(config.Architecture)} | {TrialConfigDescription.Training(config.Training)}");
            Console.WriteLine($"  test accuracy {result.Accuracy:P2} (best val {outcome.BestValAccuracy:P2} at epoch {outcome.BestEpoch}), " +
                              $"{CnnSearchSpace.CountParameters(config.Architecture):N0} parameters, {CnnSearchSpace.CountFlops(config.Architecture):N0} MACs, {clock.Elapsed.TotalSeconds:0} s");
            Directory.Delete(folderPath, recursive: true);
        }
    }

    private static ImageTensorData Read(string folder, string part, int count)
    {
        var images = Unzip(Path.Combine(folder, $"{part}-images-idx3-ubyte.gz"));
        var labels = Unzip(Path.Combine(folder, $"{part}-labels-idx1-ubyte.gz"));
        count = Math.Min(count, labels.Length - 8);
        var pixels = new float[count * 784];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = images[16 + i] / 255f;
        return new ImageTensorData(pixels, [.. labels.Skip(8).Take(count).Select(l => (int)l)], 1, 28);
    }

    private static ImageTensorData Slice(ImageTensorData data, int start, int count) =>
        new(data.Pixels[(start * 784)..((start + count) * 784)], data.Labels[start..(start + count)], 1, 28);

    private static byte[] Unzip(string path)
    {
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gz.CopyTo(buffer);
        return buffer.ToArray();
    }
}
