using System.Diagnostics;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using AutoMLStudio.Engine.Data;
using AutoMLStudio.Engine.Models;
using AutoMLStudio.Engine.Spaces;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;

namespace AutoMLStudio.Bench;

/// <summary>
/// A hosted Fashion-MNIST CNN under load, as a client sees it: the real studio in a child process, a model trained by a
/// short search on Fashion-MNIST images, registered and deployed through the REST API; then <c>--clients</c> concurrent
/// clients on loopback predict one image per request for <c>--seconds</c> (authentication, rate limiting and
/// monitoring on), and the same clients call a trivial authenticated route (<c>GET /api/v1/me</c>) for as long, for
/// the ratio. Beside it, the same model's single-image latency through TorchSharp and through ONNX Runtime.
/// </summary>
public static class HostingBenchmark
{
    public static async Task RunAsync(BenchOptions options)
    {
        if (options.FashionMnist is not { } folder)
        {
            Console.WriteLine($"Fashion-MNIST not found: apt-get install dataset-fashion-mnist, or pass --fashion-mnist DIR ({BenchOptions.DebianFashionMnist}).");
            return;
        }
        var seconds = options.Int("--seconds", 60);
        var clients = options.Int("--clients", 16);
        var work = Directory.CreateTempSubdirectory("amls-bench-hosting-").FullName;
        try
        {
            var zip = Path.Combine(work, "fashion-mnist.zip");
            BenchSources.WriteFashionMnist(zip, folder, options.Int("--limit", 3000));
            using var studio = await StudioProcess.StartAsync(Path.Combine(work, "data"));
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores; studio at {studio.Api.BaseAddress}; {clients} clients, {seconds} s per run");
            var (endpointId, modelId) = await DeployTrainedModelAsync(studio.Api, zip);
            var images = SampleImages(zip, 64);

            await CompareEnginesAsync(studio.Api, modelId, images);

            var predictBodies = images.Select(png => JsonContent.Create(new { images = new[] { Convert.ToBase64String(png) } })).ToArray();
            foreach (var body in predictBodies) await body.LoadIntoBufferAsync();
            // The default per-key limit (Hosting:RequestsPerSecondPerKey, 100/s) would measure the limiter, not the serving:
            // the load runs on an endpoint key of its own with a limit far above what the machine can serve.
            var benchKey = await SearchBenchmark.ReadAsync(await studio.Api.PostAsJsonAsync($"/api/v1/endpoints/{endpointId}/keys",
                new { name = "bench load", requestsPerSecond = 1_000_000 }));
            var predict = await LoadAsync(studio.Api, clients, seconds, (client, i) =>
                client.PostAsync($"/api/v1/endpoints/{endpointId}/predict", predictBodies[i % predictBodies.Length]),
                new AuthenticationHeaderValue("Bearer", (string)benchKey["key"]!));
            var trivial = await LoadAsync(studio.Api, clients, seconds, (client, _) => client.GetAsync("/api/v1/me"));
            predict.Print("predict (1 image per request)");
            trivial.Print("trivial GET /api/v1/me");
            Console.WriteLine($"predict / trivial throughput: {predict.PerSecond / trivial.PerSecond:P1}   (target >= 15 %)");
            Console.WriteLine("targets on 2 cores: p50 < 1 ms, p99 < 5 ms, >= 5,000 predictions/s, 0 errors");
            var monitoring = await SearchBenchmark.ReadAsync(await studio.Api.GetAsync($"/api/v1/endpoints/{endpointId}/monitoring?minutes=10"));
            Console.WriteLine($"the studio's own monitoring counted {monitoring["totals"]!["requests"]} requests, server-side p50 {(double?)monitoring["totals"]!["p50Ms"]:0.000} ms, p99 {(double?)monitoring["totals"]!["p99Ms"]:0.000} ms");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<(string EndpointId, string ModelId)> DeployTrainedModelAsync(HttpClient api, string zip)
    {
        var datasetId = await SearchBenchmark.UploadAsync(api, zip);
        var clock = Stopwatch.StartNew();
        // auto's first trial is its hand-built starting point, so the hosted network is the same on every run.
        var search = await SearchBenchmark.ReadAsync(await api.PostAsJsonAsync("/api/v1/searches", new
        {
            datasetId, algorithm = "auto", seed = 1, budget = new { maxTrials = 1, maxEpochsPerTrial = 2, maxMinutes = 20 },
        }));
        var searchId = (string)search["id"]!;
        var done = await SearchBenchmark.PollAsync(api, $"/api/v1/searches/{searchId}", s => (string?)s["status"] is "completed" or "failed" or "cancelled",
            TimeSpan.FromSeconds(2));
        if ((string?)done["status"] != "completed") throw new InvalidOperationException($"The search ended {done["status"]}: {done["error"]}");
        var model = await SearchBenchmark.ReadAsync(await api.PostAsJsonAsync("/api/v1/models", new { trialId = (string)done["bestTrialId"]!, name = "fashion" }));
        var modelId = (string)model["id"]!;
        var endpoint = await SearchBenchmark.ReadAsync(await api.PostAsJsonAsync("/api/v1/endpoints", new { modelId, name = "fashion" }));
        var card = (await SearchBenchmark.ReadAsync(await api.GetAsync($"/api/v1/models/{modelId}")))["versions"]![0]!["card"]!;
        Console.WriteLine($"model: {(long?)card["parameters"]:N0} parameters, {(long?)card["flops"]:N0} FLOPs, test accuracy {(double?)card["metrics"]!["test"]:P1} " +
                          $"after a {clock.Elapsed.TotalSeconds:0} s search; deployed as endpoint {endpoint["id"]}");
        return ((string)endpoint["id"]!, modelId);
    }

    private static byte[][] SampleImages(string zip, int count)
    {
        using var archive = ZipFile.OpenRead(zip);
        return [.. archive.Entries.Where(e => e.Length > 0).Where((_, i) => i % 37 == 0).Take(count).Select(e =>
        {
            using var stream = e.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        })];
    }

    /// <summary>Median single-image latency of the registered model through TorchSharp and through ONNX Runtime, one thread each.</summary>
    private static async Task CompareEnginesAsync(HttpClient api, string modelId, byte[][] images)
    {
        var onnx = await api.GetByteArrayAsync($"/api/v1/models/{modelId}/download?format=onnx");
        var folder = Directory.CreateTempSubdirectory("amls-bench-model-").FullName;
        try
        {
            using (var zip = new ZipArchive(new MemoryStream(await api.GetByteArrayAsync($"/api/v1/models/{modelId}/download?format=torchsharp"))))
                zip.ExtractToDirectory(folder);
            using var card = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "model.json")));
            var architecture = System.Text.Json.JsonSerializer.Deserialize<TrialConfig>(card.RootElement.GetProperty("configuration"), EngineJson.Options)!.Architecture;
            var (channels, size) = (architecture.InputChannels, architecture.InputSize);
            var pixels = ImageDecoder.DecodeToChw(images[0], channels, size);

            AutoMLStudio.Engine.Native.TorchNative.EnsureLoaded();
            torch.set_num_threads(1);
            using var model = CnnModelFactory.Build(architecture);
            model.load(Path.Combine(folder, "weights.dat"));
            model.eval();
            using var input = torch.tensor(pixels, new long[] { 1, channels, size, size });
            var torchMicros = Median(() =>
            {
                using var _ = torch.no_grad();
                using var scope = torch.NewDisposeScope();
                model.forward(input).softmax(1).data<float>().ToArray();
            });

            using var sessionOptions = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
            using var session = new InferenceSession(onnx, sessionOptions);
            var tensor = new DenseTensor<float>(pixels, new[] { 1, channels, size, size });
            var inputs = new[] { NamedOnnxValue.CreateFromTensor("pixels", tensor) };
            var onnxMicros = Median(() =>
            {
                using var results = session.Run(inputs);
                results[0].AsTensor<float>().ToArray();
            });
            Console.WriteLine($"single image, 1 thread, median of 2,000: TorchSharp {torchMicros:0} µs, ONNX Runtime {onnxMicros:0} µs ({torchMicros / onnxMicros:0.0}x)");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static double Median(Action run)
    {
        for (var i = 0; i < 200; i++) run();
        var times = new double[2000];
        for (var i = 0; i < times.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            run();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        Array.Sort(times);
        return times[times.Length / 2];
    }

    private sealed record LoadResult(long Requests, long Errors, double Seconds, double[] LatenciesMs, string? FirstError)
    {
        public double PerSecond => Requests / Seconds;

        public void Print(string what)
        {
            Array.Sort(LatenciesMs);
            double Percentile(double p) => LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[Math.Min(LatenciesMs.Length - 1, (int)(p * LatenciesMs.Length))];
            Console.WriteLine($"{what}: {PerSecond:N0} requests/s, p50 {Percentile(0.5):0.000} ms, p99 {Percentile(0.99):0.000} ms, " +
                              $"{Requests:N0} requests, {Errors} errors{(FirstError is null ? "" : $" (first: {FirstError})")}");
        }
    }

    private static async Task<LoadResult> LoadAsync(HttpClient api, int clients, int seconds, Func<HttpClient, int, Task<HttpResponseMessage>> call,
        AuthenticationHeaderValue? key = null)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = api.BaseAddress,
        };
        client.DefaultRequestHeaders.Authorization = key ?? api.DefaultRequestHeaders.Authorization;
        for (var i = 0; i < 200; i++) (await call(client, i)).Dispose();

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        long requests = 0, errors = 0;
        string? firstError = null;
        var clock = Stopwatch.StartNew();
        var latencies = await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var own = new List<double>(1 << 16);
            for (var i = c; !stop.IsCancellationRequested; i += clients)
            {
                var start = Stopwatch.GetTimestamp();
                using var response = await call(client, i);
                await response.Content.LoadIntoBufferAsync();
                own.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                Interlocked.Increment(ref requests);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}", null);
                }
            }
            return own;
        })));
        return new LoadResult(requests, errors, clock.Elapsed.TotalSeconds, [.. latencies.SelectMany(l => l)], firstError);
    }
}
