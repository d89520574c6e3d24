using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AutoMLStudio.Bench;

/// <summary>
/// Issue 20's yardstick: the studio's default search (nothing but <c>budget.maxMinutes</c>) against scikit-learn on the
/// very same 75/25 split. bench/baselines.py writes each table's split and scores the baselines first, so they never share
/// the cores with a search; then a real studio (child process) gets train.csv through the REST API, searches, registers
/// and deploys its best trial, and the test rows are predicted through the hosted endpoint and scored here.
/// </summary>
public static class BaselinesBenchmark
{
    private static readonly string[] Bundled = ["breast_cancer", "wine", "iris", "diabetes", "digits"];
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private const int Batch = 64;

    /// <param name="Studio">Test accuracy (a fraction) or RMSE of the deployed best trial; null where the path broke.</param>
    /// <param name="Learners">Trials per learner (a configuration without <c>learner</c> is the task's old one, mlp).</param>
    /// <param name="QualityMinutes">When the best-so-far validation metric first came within 1 % of its final value.</param>
    private sealed record Outcome(BaselineSplit Split, double Budget, double? Studio, string? Error, string? SearchId, string? Status,
        string? Algorithm, int Completed, int Pruned, int Failed, IReadOnlyDictionary<string, int> Learners, string? BestLearner,
        double? MinutesUsed, double? QualityMinutes, double? FinalValidation)
    {
        public bool? AtOrAbove => Studio is not { } studio || Split.Best is not { } best ? null
            : Split.Regression ? studio <= best.Value * (1 + 1e-9) : studio >= best.Value - 1e-12;

        public bool? QualityInFirstThird => QualityMinutes is { } q ? q / Budget <= 1.0 / 3 : null;

        public static Outcome Broken(BaselineSplit split, double budget, string error) =>
            new(split, budget, null, error, null, null, null, 0, 0, 0, new Dictionary<string, int>(), null, null, null, null);
    }

    public static async Task RunAsync(BenchOptions options)
    {
        var only = options.Value("--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? Bundled;
        if (only.Except([.. Bundled, "none"]).Any())
        {
            Console.WriteLine($"--only takes one or more of (comma-separated): {string.Join(", ", Bundled)}; or none (only the --csv tables).");
            return;
        }
        IReadOnlyList<IReadOnlyDictionary<string, string>> csvs;
        try
        {
            csvs = options.Groups("--csv", "--target", "--task");
        }
        catch (ArgumentException e)
        {
            Console.WriteLine(e.Message);
            return;
        }
        if (csvs.FirstOrDefault(c => !c.ContainsKey("--target") || !File.Exists(c["--csv"])
                || c.GetValueOrDefault("--task") is not (null or "classification" or "regression")) is { } wrong)
        {
            Console.WriteLine($"--csv {wrong["--csv"]}: give an existing file, then --target COLUMN and optionally --task classification|regression.");
            return;
        }
        var minutes = options.Double("--minutes", 5);
        var (seed, draws) = (options.Int("--seed", 1), options.Int("--draws", 20));
        var jsonPath = Path.GetFullPath(options.Value("--json") ?? Path.Combine(Path.GetTempPath(), $"amls-baselines-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json"));

        var sources = Bundled.Where(only.Contains).Select(name => (name, (string[])["--dataset", name]))
            .Concat(csvs.Select(c => (Path.GetFileNameWithoutExtension(c["--csv"]), (string[])["--csv", Path.GetFullPath(c["--csv"]), "--target", c["--target"],
                .. c.TryGetValue("--task", out var task) ? ["--task", task] : Array.Empty<string>()])))
            .ToList();
        var work = Directory.CreateTempSubdirectory("amls-bench-baselines-").FullName;
        try
        {
            Console.WriteLine($"baselines: {Environment.ProcessorCount} cores; split 75/25 with seed {seed}; scikit-learn first (bench/baselines.py), " +
                              $"then the studio's default search with budget {{maxMinutes: {minutes.ToString(Invariant)}}} per table");
            var splits = new List<BaselineSplit>();
            foreach (var (name, source) in sources)
            {
                var (split, exitCode, errors) = await BaselineSplit.PrepareAsync(source, Path.Combine(work, $"{splits.Count}-{name}"), seed, draws);
                if (exitCode == BaselineSplit.MissingPackage)
                {
                    Console.WriteLine($"baselines need Debian's python3-sklearn: {errors}");
                    return;
                }
                if (split is null) Console.WriteLine($"{name}: skipped, bench/baselines.py failed ({exitCode}): {errors}");
                else splits.Add(split);
            }
            if (splits.Count == 0)
            {
                Console.WriteLine("No table to run: name some with --only, or give --csv PATH --target COLUMN.");
                return;
            }

            using var studio = await StudioProcess.StartAsync(Path.Combine(work, "data"));
            Console.WriteLine($"studio at {studio.Api.BaseAddress}");
            var outcomes = new List<Outcome>();
            foreach (var split in splits)
            {
                try
                {
                    outcomes.Add(await RunAsync(studio.Api, split, minutes));
                }
                catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TaskCanceledException)
                {
                    // One table's broken path is a finding, not the end of the run: the others still get measured.
                    Console.WriteLine($"  FAILED: {e.Message}");
                    Console.WriteLine($"--- last lines the studio logged ---\n{string.Join('\n', File.ReadLines(studio.LogPath).TakeLast(20))}");
                    outcomes.Add(Outcome.Broken(split, minutes, e.Message));
                }
            }
            PrintSummary(outcomes);
            await File.WriteAllTextAsync(jsonPath, ToJson(outcomes, minutes, seed, draws).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"figures written to {jsonPath}");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<Outcome> RunAsync(HttpClient api, BaselineSplit split, double minutes)
    {
        var test = CsvFile.Read(split.TestCsv);
        var (header, rows) = (test[0], test.Skip(1).ToList());
        var labelAt = Array.IndexOf(header, split.Label);
        Console.WriteLine();
        Console.WriteLine($"{split.Name}: {split.Task}, {rows.Count} test rows held out; budget {{maxMinutes: {minutes.ToString(Invariant)}}}");
        var datasetId = await SearchBenchmark.UploadAsync(api, split.TrainCsv, $"baselines-{split.Name}", split.Label);
        var dataset = await SearchBenchmark.ReadAsync(await api.GetAsync($"/api/v1/datasets/{datasetId}"));
        if ((string?)dataset["task"] != split.Task)
        {
            // The studio proposed another task for the label than the one scikit-learn was scored on: the user changes it, as here.
            await SearchBenchmark.ReadAsync(await api.PutAsJsonAsync($"/api/v1/datasets/{datasetId}/schema", new { labelColumn = split.Label, task = split.Task }));
            Console.WriteLine($"  task set to {split.Task} (the studio proposed {dataset["task"]})");
        }

        var clock = Stopwatch.StartNew();
        var (search, trials) = await SearchBenchmark.RunMinutesOnlyAsync(api, datasetId, minutes, clock);
        var searchId = (string)search["id"]!;
        var run = new SearchRun((string?)search["algorithm"] ?? "?", search, trials, clock.Elapsed);

        var learners = trials.GroupBy(Learner).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());
        var bestTrialId = (string?)search["bestTrialId"];
        var bestLearner = trials.FirstOrDefault(t => (string?)t!["id"] == bestTrialId) is { } bestTrial ? Learner(bestTrial) : null;
        var minutesUsed = ((DateTimeOffset?)search["completedAt"] - (DateTimeOffset?)search["startedAt"])?.TotalMinutes;
        var quality = run.TimeToQuality((string?)search["metricDirection"] == "lower_is_better");
        var (completed, pruned, failed) = ((int?)search["trialsCompleted"] ?? 0, (int?)search["trialsPruned"] ?? 0, (int?)search["trialsFailed"] ?? 0);

        Console.WriteLine($"  search {searchId}: {search["status"]}, {search["algorithm"]} ({search["algorithmReason"]})");
        if (search["error"] is { } error) Console.WriteLine($"  error              {error}");
        Console.WriteLine($"  minutes used       {Figure(minutesUsed, "0.00")} of {minutes.ToString(Invariant)}");
        Console.WriteLine($"  trials             {completed} completed, {pruned} pruned, {failed} failed; learners {Learners(learners)}; " +
                          $"best trial #{search["best"]?["number"]} ({bestLearner ?? "none"})");
        Console.WriteLine($"  time to quality    " + (quality is { } q
            ? $"minute {q.Minutes:0.00} ({q.Minutes / minutes:P0} of the budget; target within the first third: {Met(q.Minutes / minutes <= 1.0 / 3)}): " +
              $"the best validation {search["metric"]} so far first came within 1 % of its final {q.Final:G4}"
            : "n/a (no trial reported a validation figure)"));

        if (bestTrialId is null)
            return Outcome.Broken(split, minutes, $"the search ended {search["status"]} without a best trial to deploy") with
            {
                SearchId = searchId, Status = (string?)search["status"], Completed = completed, Pruned = pruned, Failed = failed, Learners = learners,
            };

        var predictions = await PredictAsync(api, bestTrialId, split.Name, header, rows, labelAt);
        var truth = rows.Select(r => r[labelAt]).ToList();
        var studio = split.Regression
            ? Math.Sqrt(predictions.Select((p, i) => (double)p["value"]! - double.Parse(truth[i], Invariant)).Average(e => e * e))
            : predictions.Where((p, i) => (string?)p["label"] == truth[i]).Count() / (double)truth.Count;
        var outcome = new Outcome(split, minutes, studio, null, searchId, (string?)search["status"], (string?)search["algorithm"], completed, pruned, failed,
            learners, bestLearner, minutesUsed, quality?.Minutes, quality?.Final);
        Console.WriteLine($"  test               studio {Score(split, studio)} on the {rows.Count} held-out rows (deployed best trial, predicted through the endpoint)");
        // The studio's own figure on the test part it split off train.csv: a cross-check of the predictions above.
        if (search["best"]?["test"] is { } own)
            Console.WriteLine($"  studio's own test  {own["metric"]} {(double?)own["value"]:G4} on {own["count"]} of the uploaded rows");
        if (split.Best is { } best)
            Console.WriteLine($"  best baseline      {best.Name} {Score(split, best.Value)}; studio at or {(split.Regression ? "below" : "above")} it: {Yes(outcome.AtOrAbove)}");
        return outcome;
    }

    // A stored configuration without "learner" predates the learner choice: the table's old learner, the MLP.
    private static string Learner(JsonNode? trial) => trial?["config"]?["learner"] is JsonValue name && name.TryGetValue<string>(out var text) ? text : "mlp";

    /// <summary>Registers and deploys the trial, then predicts the test rows through the public predict route, in batches.</summary>
    private static async Task<List<JsonNode>> PredictAsync(HttpClient api, string trialId, string name, string[] header, List<string[]> rows, int labelAt)
    {
        var model = await SearchBenchmark.ReadAsync(await api.PostAsJsonAsync("/api/v1/models", new { trialId, name = $"baselines-{name}" }));
        var endpoint = await SearchBenchmark.ReadAsync(await api.PostAsJsonAsync("/api/v1/endpoints",
            new { modelId = (string)model["id"]!, name = $"baselines-{name}" }));
        var predict = $"/api/v1/endpoints/{endpoint["id"]}/predict";
        var predictions = new List<JsonNode>();
        foreach (var batch in rows.Chunk(Batch))
        {
            // Each cell as the CSV holds it (the studio read the training rows as text too); an empty one is unknown: null.
            var instances = new JsonArray([.. batch.Select(row => (JsonNode)new JsonObject(header.Select((column, j) =>
                KeyValuePair.Create(column, j == labelAt || row[j].Length == 0 ? null : (JsonNode?)JsonValue.Create(row[j])))
                .Where((_, j) => j != labelAt)))]);
            var answer = await SearchBenchmark.ReadAsync(await api.PostAsJsonAsync(predict, new JsonObject { ["instances"] = instances }));
            predictions.AddRange(answer["predictions"]!.AsArray().Select(p => p!));
        }
        if (predictions.Count != rows.Count) throw new InvalidOperationException($"{rows.Count} rows sent, {predictions.Count} predictions back");
        return predictions;
    }

    private static void PrintSummary(List<Outcome> outcomes)
    {
        Console.WriteLine();
        Console.WriteLine("table | studio | baselines (test, same split) | best baseline | studio at or above the best (RMSE at or below) | " +
                          "trials completed/pruned/failed | learners (best) | minutes used of budget | 99 % of final validation at");
        foreach (var o in outcomes)
        {
            var baselines = string.Join(", ", o.Split.Baselines.Select(b => $"{b.Name} {Score(o.Split, b.Value)}"));
            var best = o.Split.Best is { } b ? $"{b.Name} {Score(o.Split, b.Value)}" : "n/a";
            var quality = o.QualityMinutes is { } q ? $"{q:0.00} min ({q / o.Budget:P0}; first third: {Met(o.QualityInFirstThird)})" : "n/a";
            Console.WriteLine($"{o.Split.Name} | {(o.Studio is { } s ? Score(o.Split, s) : $"FAILED: {o.Error}")} | {baselines} | {best} | {Yes(o.AtOrAbove)} | " +
                              $"{o.Completed}/{o.Pruned}/{o.Failed} | {Learners(o.Learners)} ({o.BestLearner ?? "none"}) | " +
                              $"{Figure(o.MinutesUsed, "0.00")} of {o.Budget.ToString(Invariant)} | {quality}");
        }
    }

    private static JsonObject ToJson(List<Outcome> outcomes, double minutes, int seed, int draws) => new()
    {
        ["command"] = "baselines",
        ["date"] = DateTimeOffset.UtcNow,
        ["cores"] = Environment.ProcessorCount,
        ["loadAverage"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null,
        ["budgetMinutes"] = minutes,
        ["seed"] = seed,
        ["tunedDraws"] = draws,
        ["tables"] = new JsonArray([.. outcomes.Select(o => (JsonNode)new JsonObject
        {
            ["name"] = o.Split.Name,
            ["task"] = o.Split.Task,
            ["metric"] = o.Split.Regression ? "rmse" : "accuracy",
            ["studio"] = o.Studio,
            ["error"] = o.Error,
            ["baselines"] = new JsonArray([.. o.Split.Baselines.Select(b => (JsonNode)new JsonObject { ["name"] = b.Name, ["value"] = b.Value })]),
            ["bestBaseline"] = o.Split.Best is { } best ? new JsonObject { ["name"] = best.Name, ["value"] = best.Value } : null,
            ["studioAtOrAboveBest"] = o.AtOrAbove,
            ["baselineNotes"] = new JsonArray([.. o.Split.Notes.Select(n => (JsonNode)n)]),
            ["searchId"] = o.SearchId,
            ["status"] = o.Status,
            ["algorithm"] = o.Algorithm,
            ["trials"] = new JsonObject { ["completed"] = o.Completed, ["pruned"] = o.Pruned, ["failed"] = o.Failed },
            ["learners"] = new JsonObject(o.Learners.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))),
            ["bestLearner"] = o.BestLearner,
            ["minutesUsed"] = o.MinutesUsed,
            ["timeToQuality"] = o.QualityMinutes is { } q
                ? new JsonObject { ["minutes"] = q, ["shareOfBudget"] = q / o.Budget, ["finalValidation"] = o.FinalValidation, ["withinFirstThird"] = o.QualityInFirstThird }
                : null,
        })]),
    };

    private static string Score(BaselineSplit split, double value) =>
        split.Regression ? $"RMSE {value.ToString("0.00", Invariant)}" : value.ToString("P2", Invariant);

    private static string Learners(IReadOnlyDictionary<string, int> learners) =>
        learners.Count == 0 ? "none" : string.Join(", ", learners.Select(l => $"{l.Key} {l.Value}"));

    private static string Figure(double? value, string format) => value?.ToString(format, Invariant) ?? "n/a";

    private static string Met(bool? met) => met switch { true => "met", false => "MISSED", null => "n/a" };

    private static string Yes(bool? yes) => yes switch { true => "yes", false => "NO", null => "n/a" };
}
