using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace AutoMLStudio.Bench;

/// <summary>
/// Issue 18's measurement: does a search spend the minutes it is given, and what does it buy? scikit-learn's digits,
/// breast cancer, wine and diabetes, each split the same way on every run, the training part uploaded to a real studio
/// (child process) and searched with nothing but <c>budget.maxMinutes</c>, through the public REST API only. The best
/// trial is registered, deployed and asked for the held-out rows through the predict route, and the test figure is
/// computed here from its answers; scikit-learn's defaults on the very same files give the yardstick.
/// </summary>
public static class BudgetsBenchmark
{
    private const string Label = "label";
    private static readonly string[] Names = ["digits", "breast_cancer", "wine_data", "diabetes"];
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <param name="Upload">The file the studio gets: a zip of class folders or the training CSV.</param>
    /// <param name="TrainCsv">The training rows as CSV with a label column, for scikit-learn (the upload itself for tables).</param>
    /// <param name="Inputs">Held-out inputs: PNG bytes (images) or rows (tables), in the order of <paramref name="Truth"/>.</param>
    /// <param name="Truth">Held-out labels (classification) or values (regression), invariant text.</param>
    private sealed record Prepared(string Name, double Minutes, bool Regression, bool Images, string Upload, string TrainCsv, string TestCsv,
        int TrainCount, IReadOnlyList<object> Inputs, IReadOnlyList<string> Truth);

    private sealed record Outcome(string Name, double Budget, double? MinutesUsed, bool? MinutesMet, string Trials, string Ended, string Test,
        bool? TestMet, double? MinutesToQuality);

    public static async Task RunAsync(BenchOptions options)
    {
        var data = options.Sklearn;
        if (!File.Exists(Path.Combine(data, "digits.csv.gz")))
        {
            Console.WriteLine($"scikit-learn's datasets not found in {data}: apt-get install -y python3-sklearn, or extract it without installing " +
                              "(apt-get download python3-sklearn && dpkg-deb -x python3-sklearn_*.deb DIR) and pass " +
                              "--sklearn DIR/usr/lib/python3/dist-packages/sklearn/datasets/data.");
            return;
        }
        var only = options.Value("--only")?.Split(',') ?? Names;
        if (only.Except(Names).Any())
        {
            Console.WriteLine($"--only takes one or more of (comma-separated): {string.Join(", ", Names)}.");
            return;
        }
        var seed = options.Int("--seed", 1);
        var (digitMinutes, tableMinutes) = (options.Double("--minutes-digits", 6), options.Double("--minutes-tables", 3));
        var work = Directory.CreateTempSubdirectory("amls-bench-budgets-").FullName;
        try
        {
            var prepared = Names.Where(only.Contains).Select(name => name == "digits"
                ? PrepareDigits(data, work, digitMinutes, seed)
                : PrepareTable(name == "diabetes" ? TabularBenchmark.Diabetes(data) : TabularBenchmark.Classification(data, name + ".csv"),
                    work, tableMinutes, seed)).ToList();
            using var studio = await StudioProcess.StartAsync(Path.Combine(work, "data"));
            Console.WriteLine($"budgets: {Environment.ProcessorCount} cores; studio at {studio.Api.BaseAddress}; split seed {seed}; " +
                              $"budgets maxMinutes {digitMinutes} (digits), {tableMinutes} (tables), nothing else set");
            var outcomes = new List<Outcome>();
            try
            {
                foreach (var dataset in prepared) outcomes.Add(await RunAsync(studio.Api, dataset));
            }
            catch
            {
                Console.WriteLine($"--- last lines the studio logged ---\n{string.Join('\n', File.ReadLines(studio.LogPath).TakeLast(30))}");
                throw;
            }
            PrintSummary(outcomes);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static Prepared PrepareDigits(string data, string work, double minutes, int seed)
    {
        var (pixels, labels) = BenchSources.ReadDigits(data);
        var held = HoldOut.Draw(labels, labels.Length, 200, seed);
        var train = Enumerable.Range(0, labels.Length).Where(i => !held[i]).ToList();
        var test = Enumerable.Range(0, labels.Length).Where(i => held[i]).ToList();
        var zip = Path.Combine(work, "digits.zip");
        BenchSources.WriteDigits(zip, [.. train.Select(i => pixels[i])], [.. train.Select(i => labels[i])]);
        // scikit-learn gets the 64 pixel values 0-16 of the same images.
        string[] header = [.. Enumerable.Range(0, 64).Select(j => $"p{j}"), Label];
        string[] Row(int i) => [.. pixels[i].Select(v => v.ToString(Invariant)), labels[i].ToString(Invariant)];
        var trainCsv = WriteCsv(Path.Combine(work, "digits-train.csv"), header, train.Select(Row));
        var testCsv = WriteCsv(Path.Combine(work, "digits-test.csv"), header, test.Select(Row));
        return new Prepared("digits", minutes, Regression: false, Images: true, zip, trainCsv, testCsv, train.Count,
            [.. test.Select(i => (object)BenchSources.DigitPng(pixels[i]))], [.. test.Select(i => labels[i].ToString(Invariant))]);
    }

    private static Prepared PrepareTable(TabularBenchmark.Table table, string work, double minutes, int seed)
    {
        var regression = table.ClassNames is null;
        var count = table.Rows.Count;
        var held = HoldOut.Draw(regression ? null : table.Targets.Labels, count, (int)Math.Ceiling(count * 0.25), seed);
        string Truth(int i) => regression ? table.Targets.Values[i].ToString("R", Invariant) : table.ClassNames![table.Targets.Labels[i]];
        string[] header = [.. table.Columns.Select(c => c.Name), Label];
        string[] Row(int i) => [.. table.Columns.Select(c => table.Rows[i][c.Name] ?? ""), Truth(i)];
        var train = Enumerable.Range(0, count).Where(i => !held[i]).ToList();
        var test = Enumerable.Range(0, count).Where(i => held[i]).ToList();
        var trainCsv = WriteCsv(Path.Combine(work, $"{table.Name}-train.csv"), header, train.Select(Row));
        var testCsv = WriteCsv(Path.Combine(work, $"{table.Name}-test.csv"), header, test.Select(Row));
        return new Prepared(table.Name, minutes, regression, Images: false, trainCsv, trainCsv, testCsv, train.Count,
            [.. test.Select(i => (object)Instance(table, i))], [.. test.Select(Truth)]);
    }

    private static JsonObject Instance(TabularBenchmark.Table table, int row)
    {
        var instance = new JsonObject();
        foreach (var column in table.Columns)
        {
            var text = table.Rows[row][column.Name];
            instance[column.Name] = double.TryParse(text, NumberStyles.Float, Invariant, out var number) ? JsonValue.Create(number) : JsonValue.Create(text);
        }
        return instance;
    }

    private static string WriteCsv(string path, string[] header, IEnumerable<string[]> rows)
    {
        File.WriteAllLines(path, [string.Join(',', header), .. rows.Select(r => string.Join(',', r))]);
        return path;
    }

    private static async Task<Outcome> RunAsync(HttpClient api, Prepared dataset)
    {
        var unit = dataset.Images ? "images" : "rows";
        Console.WriteLine();
        Console.WriteLine($"{dataset.Name}: {dataset.TrainCount} {unit} uploaded, {dataset.Truth.Count} held out; budget {{maxMinutes: {dataset.Minutes.ToString(Invariant)}}}");
        var datasetId = await SearchBenchmark.UploadAsync(api, dataset.Upload, dataset.Name, dataset.Images ? null : Label);
        var clock = Stopwatch.StartNew();
        var (search, trials) = await SearchBenchmark.RunMinutesOnlyAsync(api, datasetId, dataset.Minutes, clock);
        var searchId = (string)search["id"]!;
        var run = new SearchRun((string?)search["algorithm"] ?? "?", search, trials, clock.Elapsed);

        var lowerIsBetter = (string?)search["metricDirection"] == "lower_is_better";
        var minutesUsed = ((DateTimeOffset?)search["completedAt"] - (DateTimeOffset?)search["startedAt"])?.TotalMinutes;
        var (ended, converged) = search["endReason"] is JsonObject reason
            ? ($"{reason["code"]}: {reason["message"]}", ((string?)reason["code"])?.Contains("converg", StringComparison.OrdinalIgnoreCase) == true)
            : ("n/a", false);
        bool? minutesMet = minutesUsed is { } used ? used >= 0.9 * dataset.Minutes || converged : null;
        var trialCounts = $"{search["trialsCompleted"]} / {search["trialsPruned"]} / {search["trialsFailed"]}";
        var quality = run.TimeToQuality(lowerIsBetter);

        Console.WriteLine($"  search {searchId}: {search["status"]}, {search["algorithm"]} ({search["algorithmReason"]})");
        if (search["error"] is { } error) Console.WriteLine($"  error              {error}");
        Console.WriteLine($"  stored budget      {search["budget"]?.ToJsonString()}");
        Console.WriteLine($"  minutes used       {Figure(minutesUsed, "0.00")} of {dataset.Minutes.ToString(Invariant)} " +
                          $"({Figure(minutesUsed / dataset.Minutes, "P0")}); target >= 90 % unless converged: {Met(minutesMet)}");
        Console.WriteLine($"  trials             {search["trialsCompleted"]} completed, {search["trialsPruned"]} pruned, {search["trialsFailed"]} failed");
        Console.WriteLine($"  ended because      {ended}");
        Console.WriteLine($"  early stopping     {EarlyStopping(search["earlyStopping"])}");
        if (search["finalRetrain"] is { } retrain) Console.WriteLine($"  final retrain      {retrain["state"]}: {retrain["reason"]}");
        Console.WriteLine($"  time to quality    " + (quality is { } q
            ? $"minute {q.Minutes:0.00}: the best validation {search["metric"]} so far first came within 1 % of its final {q.Final:G4}"
            : "n/a (no epoch rows)"));

        var (test, testMet) = ("n/a", (bool?)null);
        if ((string?)search["bestTrialId"] is { } bestTrialId)
        {
            var predictions = await PredictAsync(api, bestTrialId, dataset);
            if (dataset.Regression)
            {
                var errors = predictions.Select((p, i) => (double)p["value"]! - double.Parse(dataset.Truth[i], Invariant)).ToList();
                test = $"RMSE {Math.Sqrt(errors.Average(e => e * e)):0.0}";
            }
            else
            {
                var accuracy = predictions.Where((p, i) => (string?)p["label"] == dataset.Truth[i]).Count() / (double)dataset.Truth.Count;
                test = $"accuracy {accuracy:P2}";
                if (dataset.Images) testMet = accuracy >= 0.975;
            }
            Console.WriteLine($"  test               {test} on the {dataset.Truth.Count} held-out {unit} (the deployed best trial #{search["best"]?["number"]})" +
                              (dataset.Images ? $"; target >= 97.5 %: {Met(testMet)}" : ""));
            // The studio's own figure, on the test part it split off the upload: a cross-check of the predictions above.
            if (search["best"]?["test"] is { } own)
                Console.WriteLine($"  studio's own test  {own["metric"]} {(double?)own["value"]:G4} on {own["count"]} of the uploaded {unit}");
        }
        else Console.WriteLine("  test               n/a (no best trial to deploy)");

        await SklearnBaselines.RunAsync(dataset.TrainCsv, dataset.TestCsv, Label, dataset.Regression);
        return new Outcome(dataset.Name, dataset.Minutes, minutesUsed, minutesMet, trialCounts, ended, test, testMet, quality?.Minutes);
    }

    /// <summary>Registers and deploys the trial, then predicts the held-out inputs through the public predict route.</summary>
    private static async Task<List<JsonNode>> PredictAsync(HttpClient api, string trialId, Prepared dataset)
    {
        var model = await SearchBenchmark.ReadAsync(await api.PostAsJsonAsync("/api/v1/models", new { trialId, name = $"budgets-{dataset.Name}" }));
        var endpoint = await SearchBenchmark.ReadAsync(await api.PostAsJsonAsync("/api/v1/endpoints",
            new { modelId = (string)model["id"]!, name = $"budgets-{dataset.Name}" }));
        var predict = $"/api/v1/endpoints/{endpoint["id"]}/predict";
        var predictions = new List<JsonNode>();
        foreach (var batch in dataset.Inputs.Chunk(64))
        {
            using HttpContent body = dataset.Images ? Files(batch.Cast<byte[]>()) : JsonContent.Create(new JsonObject
            {
                ["instances"] = new JsonArray([.. batch.Cast<JsonObject>().Select(i => (JsonNode)i.DeepClone())]),
            });
            var answer = await SearchBenchmark.ReadAsync(await api.PostAsync(predict, body));
            predictions.AddRange(answer["predictions"]!.AsArray().Select(p => p!));
        }
        return predictions;
    }

    private static MultipartFormDataContent Files(IEnumerable<byte[]> images)
    {
        var form = new MultipartFormDataContent();
        var n = 0;
        foreach (var png in images)
        {
            var file = new ByteArrayContent(png);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(file, "file", $"digit-{n++}.png");
        }
        return form;
    }

    // earlyStopping {pruned, byEpoch} comes with issue 18; older studios have none.
    private static string EarlyStopping(JsonNode? node)
    {
        if (node is not JsonObject stopping) return "n/a";
        var byEpoch = stopping["byEpoch"] switch
        {
            JsonObject counts => string.Join(", ", counts.Select(c => $"{c.Value} at epoch {c.Key}")),
            { } other => other.ToJsonString(),
            null => "",
        };
        return $"{stopping["pruned"]} pruned" + (byEpoch.Length > 0 ? $" ({byEpoch})" : "");
    }

    private static void PrintSummary(List<Outcome> outcomes)
    {
        Console.WriteLine();
        var text = new StringBuilder();
        text.AppendLine("dataset       | budget min | used min | used  | trials c/p/f  | test             | 99 % at min | targets (>= 90 % of minutes unless converged; digits >= 97.5 %) | ended because");
        foreach (var o in outcomes)
        {
            var targets = $"minutes {Met(o.MinutesMet)}" + (o.TestMet is null ? "" : $", accuracy {Met(o.TestMet)}");
            text.AppendLine($"{o.Name,-13} | {o.Budget,10:0.##} | {Figure(o.MinutesUsed, "0.00"),8} | {Figure(o.MinutesUsed / o.Budget, "P0"),5} | " +
                            $"{o.Trials,-13} | {o.Test,-16} | {Figure(o.MinutesToQuality, "0.00"),11} | {targets,-64} | {o.Ended}");
        }
        Console.Write(text);
    }

    private static string Figure(double? value, string format) => value?.ToString(format, Invariant) ?? "n/a";

    private static string Met(bool? met) => met switch { true => "met", false => "MISSED", null => "n/a" };
}
