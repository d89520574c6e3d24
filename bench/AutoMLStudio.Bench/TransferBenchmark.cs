using System.IO.Compression;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SkiaSharp;

namespace AutoMLStudio.Bench;

/// <summary>
/// Transfer learning as a user gets it, through the REST API of a real studio: a first model is searched on 8 of
/// Fashion-MNIST's 10 classes and registered; then a second dataset of all 10 classes with only 50 labeled images
/// each is searched twice with the same budget, side by side (so both see the same load), once from scratch and once
/// starting from the first model. Both final models are downloaded as ONNX and scored with ONNX Runtime on
/// Fashion-MNIST's 10,000 test images, which neither search saw.
/// </summary>
public static class TransferBenchmark
{
    public static async Task RunAsync(BenchOptions options)
    {
        if (options.FashionMnist is not { } folder)
        {
            Console.WriteLine($"Fashion-MNIST not found: apt-get install dataset-fashion-mnist, or pass --fashion-mnist DIR ({BenchOptions.DebianFashionMnist}).");
            return;
        }
        var heldOut = (options.Value("--held-out") ?? "bag,ankle-boot").Split(',', StringSplitOptions.TrimEntries);
        var firstPerClass = options.Int("--first-per-class", 600);
        var perClass = options.Int("--per-class", 50);
        var firstMinutes = options.Double("--first-minutes", 10);
        var minutes = options.Double("--minutes", 5);
        var work = Directory.CreateTempSubdirectory("amls-bench-transfer-").FullName;
        try
        {
            var images = BenchSources.ReadIdx(Path.Combine(folder, "train-images-idx3-ubyte.gz"));
            var labels = BenchSources.ReadIdx(Path.Combine(folder, "train-labels-idx1-ubyte.gz"));
            // Disjoint picks from the training file: the first images of each known class for the first model, the next
            // ones of every class for the small dataset.
            var taken = new int[10];
            var first = new List<int>();
            var small = new List<int>();
            for (var n = 0; n < labels.Length - 8; n++)
            {
                var label = labels[8 + n];
                var known = !heldOut.Contains(BenchSources.FashionClasses[label]);
                if (known && taken[label] < firstPerClass) first.Add(n);
                else if (taken[label] < (known ? firstPerClass : 0) + perClass) small.Add(n);
                else continue;
                taken[label]++;
            }
            var firstZip = WriteZip(Path.Combine(work, "eight-classes.zip"), images, labels, first);
            var smallZip = WriteZip(Path.Combine(work, "ten-classes-small.zip"), images, labels, small);

            using var studio = await StudioProcess.StartAsync(Path.Combine(work, "data"));
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores; held out: {string.Join(", ", heldOut)}; first model: {first.Count:N0} images of 8 classes, "
                + $"{firstMinutes} min; then {small.Count} images ({perClass} per class, 10 classes), {minutes} min per search, side by side");
            try
            {
                var firstData = await SearchBenchmark.UploadAsync(studio.Api, firstZip);
                var firstSearch = await RunAsync(studio.Api, firstData, firstMinutes, startFrom: null, "first model (8 classes)");
                var firstModel = await RegisterAsync(studio.Api, firstSearch, "eight classes");

                var smallData = await SearchBenchmark.UploadAsync(studio.Api, smallZip);
                var searches = await Task.WhenAll(
                    RunAsync(studio.Api, smallData, minutes, startFrom: null, "from scratch"),
                    RunAsync(studio.Api, smallData, minutes, startFrom: firstModel, "from the first model"));

                var test = LoadTest(folder);
                Console.WriteLine($"\nFashion-MNIST test set ({test.Labels.Length:N0} images, 10 classes), same budget of {minutes} min, {perClass} labels per class:");
                var accuracies = new List<double>();
                foreach (var (search, name) in searches.Zip(new[] { "from scratch", "from the first model" }))
                {
                    var model = await RegisterAsync(studio.Api, search, name);
                    var accuracy = await TestAccuracyAsync(studio.Api, model, test, Path.Combine(work, $"{model}.onnx"));
                    accuracies.Add(accuracy);
                    Console.WriteLine($"  {name,-22} test accuracy {accuracy:P2}   ({search["trialsCompleted"]} trials, best validation {(double?)search["best"]?["valMetric"]:P1})");
                }
                Console.WriteLine($"  gap: {(accuracies[1] - accuracies[0]) * 100:+0.00;-0.00} points for starting from the first model");
            }
            catch
            {
                Console.WriteLine($"--- last lines the studio logged ---\n{string.Join('\n', File.ReadLines(studio.LogPath).TakeLast(30))}");
                throw;
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string WriteZip(string path, byte[] images, byte[] labels, IEnumerable<int> indexes)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using var bitmap = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Gray8));
        foreach (var n in indexes)
        {
            System.Runtime.InteropServices.Marshal.Copy(images, 16 + n * 784, bitmap.GetPixels(), 784);
            BenchSources.AddPng(zip, $"fashion-mnist/{BenchSources.FashionClasses[labels[8 + n]]}/{n:00000}.png", bitmap);
        }
        return path;
    }

    private static async Task<JsonNode> RunAsync(HttpClient api, string datasetId, double minutes, string? startFrom, string name)
    {
        var request = new JsonObject
        {
            ["datasetId"] = datasetId, ["algorithm"] = "auto", ["budget"] = new JsonObject { ["maxMinutes"] = minutes, ["maxTrials"] = 1000 },
        };
        if (startFrom is not null) request["startFrom"] = new JsonObject { ["modelId"] = startFrom };
        var id = (string)(await SearchBenchmark.ReadAsync(await api.PostAsJsonAsync("/api/v1/searches", request)))["id"]!;
        var search = await SearchBenchmark.PollAsync(api, $"/api/v1/searches/{id}", s => (string?)s["status"] is "completed" or "failed" or "cancelled", TimeSpan.FromSeconds(5));
        if ((string?)search["status"] != "completed") throw new InvalidOperationException($"The search {name} ended '{search["status"]}': {search["error"]}");
        Console.WriteLine($"{name}: {search["trialsCompleted"]} trials, best validation {(double?)search["best"]?["valMetric"]:P2}, test split {(double?)search["best"]?["test"]?["accuracy"]:P2} ({search["algorithmReason"]})");
        return search;
    }

    private static async Task<string> RegisterAsync(HttpClient api, JsonNode search, string name) =>
        (string)(await SearchBenchmark.ReadAsync(await api.PostAsJsonAsync("/api/v1/models",
            new { trialId = (string?)search["bestTrialId"], name = $"{name} {Guid.NewGuid():N}"[..Math.Min(60, name.Length + 9)] })))["id"]!;

    private sealed record TestSet(float[] Pixels, int[] Labels);

    private static TestSet LoadTest(string folder)
    {
        var images = BenchSources.ReadIdx(Path.Combine(folder, "t10k-images-idx3-ubyte.gz"));
        var labels = BenchSources.ReadIdx(Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"));
        var count = labels.Length - 8;
        var pixels = new float[count * 784];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = images[16 + i] / 255f;
        return new TestSet(pixels, [.. labels.AsSpan(8, count).ToArray().Select(l => (int)l)]);
    }

    // The exported graph takes pixels in [0, 1] at the model's input size (28x28 grey here) and returns probabilities in
    // the order of the model card's classes, which are mapped back to Fashion-MNIST's label numbers by name.
    private static async Task<double> TestAccuracyAsync(HttpClient api, string modelId, TestSet test, string path)
    {
        await File.WriteAllBytesAsync(path, await api.GetByteArrayAsync($"/api/v1/models/{modelId}/download?format=onnx"));
        var model = await SearchBenchmark.ReadAsync(await api.GetAsync($"/api/v1/models/{modelId}"));
        var classes = model["versions"]![0]!["card"]!["classes"]!.AsArray().Select(c => Array.IndexOf(BenchSources.FashionClasses, (string)c!)).ToArray();
        using var session = new InferenceSession(path);
        var input = session.InputMetadata.Keys.Single();
        var correct = 0;
        const int batch = 500;
        for (var start = 0; start < test.Labels.Length; start += batch)
        {
            var count = Math.Min(batch, test.Labels.Length - start);
            var tensor = new DenseTensor<float>(test.Pixels.AsMemory(start * 784, count * 784), [count, 1, 28, 28]);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(input, tensor)]);
            var probabilities = results[0].AsTensor<float>();
            for (var i = 0; i < count; i++)
            {
                var best = 0;
                for (var c = 1; c < classes.Length; c++) if (probabilities[i, c] > probabilities[i, best]) best = c;
                if (classes[best] == test.Labels[start + i]) correct++;
            }
        }
        return correct / (double)test.Labels.Length;
    }
}
