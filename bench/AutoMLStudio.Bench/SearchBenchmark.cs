using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AutoMLStudio.Bench;

/// <summary>
/// The Fashion-MNIST search as a user runs it: the real studio in a child process, the images uploaded as a zip of
/// class folders, a search started and polled through the public REST API only (so changes to the search space,
/// metrics and strategies behind it need no change here). With --compare-random a random search with the same budget
/// and seed starts at the same moment and shares the machine with it (the studio's queue interleaves their trials), so
/// both see the same cores and the same load; both stop when their budget ends, before a final retrain, and the time
/// each needed to reach random search's best validation accuracy is compared.
/// </summary>
public static class SearchBenchmark
{
    public static async Task RunAsync(BenchOptions options)
    {
        if (options.FashionMnist is not { } folder)
        {
            Console.WriteLine($"Fashion-MNIST not found: apt-get install dataset-fashion-mnist, or pass --fashion-mnist DIR ({BenchOptions.DebianFashionMnist}).");
            return;
        }
        var minutes = options.Double("--minutes", 60);
        // A seed makes the studio run one trial at a time so the search replays exactly; without one it packs a trial per
        // core, which is the throughput a user gets by default.
        int? seed = options.Value("--seed") is null ? null : options.Int("--seed", 1);
        var work = Directory.CreateTempSubdirectory("amls-bench-search-").FullName;
        try
        {
            var zip = Path.Combine(work, "fashion-mnist.zip");
            var images = BenchSources.WriteFashionMnist(zip, folder, options.Int("--limit", int.MaxValue));
            using var studio = await StudioProcess.StartAsync(Path.Combine(work, "data"));
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores; studio at {studio.Api.BaseAddress}; Fashion-MNIST {images:N0} images; budget {minutes} min per search");
            try
            {
                var datasetId = await UploadAsync(studio.Api, zip);
                var budget = new JsonObject { ["maxMinutes"] = minutes, ["maxTrials"] = 1000 };
                if (options.Value("--epochs") is not null) budget["maxEpochsPerTrial"] = options.Int("--epochs", 5);

                // Only epoch rows are compared, so side by side both searches stop when their trials end instead of retraining.
                var compare = options.Flag("--compare-random");
                var searches = await Task.WhenAll(compare
                    ? [RunSearchAsync(studio.Api, datasetId, "auto", budget, seed, stopBeforeRetrain: true),
                       RunSearchAsync(studio.Api, datasetId, "random", budget, seed, stopBeforeRetrain: true)]
                    : new[] { RunSearchAsync(studio.Api, datasetId, "auto", budget, seed) });
                foreach (var search in searches) search.Print();
                if (searches.Length == 2) CompareTimeToTarget(searches[0], searches[1]);
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

    internal static async Task<string> UploadAsync(HttpClient api, string zip, string name = "fashion-mnist", string? labelColumn = null)
    {
        var clock = Stopwatch.StartNew();
        using var form = new MultipartFormDataContent { { new StringContent(name), "name" } };
        if (labelColumn is not null) form.Add(new StringContent(labelColumn), "labelColumn");
        await using var file = File.OpenRead(zip);
        form.Add(new StreamContent(file), "file", Path.GetFileName(zip));
        var created = await ReadAsync(await api.PostAsync("/api/v1/datasets", form));
        var id = (string)created["id"]!;
        var dataset = await PollAsync(api, $"/api/v1/datasets/{id}", d => (string?)d["status"] != "importing", TimeSpan.FromSeconds(2));
        if ((string?)dataset["status"] != "ready") throw new InvalidOperationException($"The import ended '{dataset["status"]}': {dataset["error"]}");
        Console.WriteLine($"dataset {id}: {dataset["itemCount"]} {(labelColumn is null ? "images" : "rows")} imported in {clock.Elapsed.TotalSeconds:0} s");
        return id;
    }

    private static async Task<SearchRun> RunSearchAsync(HttpClient api, string datasetId, string algorithm, JsonObject budget, int? seed,
        bool stopBeforeRetrain = false)
    {
        var request = new JsonObject
        {
            ["datasetId"] = datasetId, ["algorithm"] = algorithm, ["budget"] = budget.DeepClone(),
            ["objective"] = new JsonObject { ["metric"] = "accuracy" },
        };
        if (seed is not null) request["seed"] = seed;
        var clock = Stopwatch.StartNew();
        var id = (string)(await ReadAsync(await api.PostAsJsonAsync("/api/v1/searches", request)))["id"]!;
        Console.WriteLine($"{algorithm} search {id} started");
        var lastReport = TimeSpan.Zero;
        var search = await PollAsync(api, $"/api/v1/searches/{id}", s =>
        {
            if (clock.Elapsed - lastReport > TimeSpan.FromMinutes(1))
            {
                lastReport = clock.Elapsed;
                Console.WriteLine($"  {clock.Elapsed.TotalMinutes,5:0.0} min: {algorithm} {s["status"]}, {s["trialsCompleted"]} trials completed");
            }
            return (string?)s["status"] is "completed" or "failed" or "cancelled"
                || (stopBeforeRetrain && (string?)s["finalRetrain"]?["state"] == "retraining");
        }, TimeSpan.FromSeconds(5));
        if (stopBeforeRetrain && (string?)search["status"] is "running") await ReadAsync(await api.PostAsync($"/api/v1/searches/{id}/cancel", null));
        var trials = (JsonArray)await ReadAsync(await api.GetAsync($"/api/v1/searches/{id}/trials"));
        return new SearchRun(algorithm, search, trials, clock.Elapsed);
    }

    /// <summary>Each search's time to reach random search's best validation accuracy, from the epoch rows.</summary>
    private static void CompareTimeToTarget(SearchRun chosen, SearchRun random)
    {
        var target = random.BestValidation;
        var chosenTime = chosen.MinutesToReach(target);
        var randomTime = random.MinutesToReach(target);
        Console.WriteLine($"target: random search's best validation accuracy {target:P2}");
        Console.WriteLine($"  {chosen.Algorithm} reached it after {(chosenTime is { } c ? $"{c:0.0} min" : "- (never)")}; random after {randomTime:0.0} min");
        if (chosenTime is { } reached && randomTime is > 0)
            Console.WriteLine($"  ratio {chosen.Algorithm} / random {reached / randomTime.Value:0.00}   (target < 0.5)");
    }

    /// <summary>Starts the default search with only <c>budget.maxMinutes</c>, prints its progress each minute and returns it and its trials once it ends.</summary>
    internal static async Task<(JsonNode Search, JsonArray Trials)> RunMinutesOnlyAsync(HttpClient api, string datasetId, double minutes, Stopwatch clock)
    {
        var started = await ReadAsync(await api.PostAsJsonAsync("/api/v1/searches",
            new JsonObject { ["datasetId"] = datasetId, ["budget"] = new JsonObject { ["maxMinutes"] = minutes } }));
        var searchId = (string)started["id"]!;
        var lastReport = TimeSpan.Zero;
        var search = await PollAsync(api, $"/api/v1/searches/{searchId}", s =>
        {
            if (clock.Elapsed - lastReport > TimeSpan.FromMinutes(1))
            {
                lastReport = clock.Elapsed;
                Console.WriteLine($"  {clock.Elapsed.TotalMinutes,5:0.0} min: {s["status"]}, {s["trialsCompleted"]} trials completed");
            }
            return (string?)s["status"] is "completed" or "failed" or "cancelled";
        }, TimeSpan.FromSeconds(2));
        return (search, (JsonArray)await ReadAsync(await api.GetAsync($"/api/v1/searches/{searchId}/trials")));
    }

    internal static async Task<JsonNode> PollAsync(HttpClient api, string path, Func<JsonNode, bool> done, TimeSpan every)
    {
        while (true)
        {
            var node = await ReadAsync(await api.GetAsync(path));
            if (done(node)) return node;
            await Task.Delay(every);
        }
    }

    internal static async Task<JsonNode> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{(int)response.StatusCode} from {response.RequestMessage?.RequestUri}: {body}");
        return JsonNode.Parse(body)!;
    }
}
