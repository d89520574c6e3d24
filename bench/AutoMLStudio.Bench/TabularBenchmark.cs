using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using AutoMLStudio.Engine.Data;
using AutoMLStudio.Engine.Devices;
using AutoMLStudio.Engine.Metrics;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Bench;

/// <summary>
/// Tabular MLP searches on the real tables Debian's python3-sklearn ships (breast cancer, wine, diabetes): a TPE search
/// over the tabular space, the best trial by validation, then its test accuracy or RMSE, parameters and wall time.
/// </summary>
public static class TabularBenchmark
{
    /// <param name="ClassNames">Classification: the names of the class indices in <paramref name="Targets"/>, from the file's header.</param>
    internal sealed record Table(string Name, TabularColumn[] Columns, List<IReadOnlyDictionary<string, string?>> Rows, SupervisedTargets Targets,
        IReadOnlyList<string>? ClassNames = null);

    public static async Task RunAsync(string dataDir, int trials, int epochs)
    {
        Console.WriteLine($"Tabular search: TPE, {trials} trials of {epochs} epochs, split 70/15/15 (seed 1), {Environment.ProcessorCount} cores");
        foreach (var table in new[] { Classification(dataDir, "breast_cancer.csv"), Classification(dataDir, "wine_data.csv"), Diabetes(dataDir) })
            await SearchAsync(table, trials, epochs);
    }

    private static async Task SearchAsync(Table table, int trials, int epochs)
    {
        var clock = Stopwatch.StartNew();
        var regression = table.Targets.Task == PredictionTask.Regression;
        var split = StratifiedSplit.Assign(regression ? new int[table.Rows.Count] : table.Targets.Labels, seed: 1);
        var (train, validation, test) = (Part(table, split, 0), Part(table, split, 1), Part(table, split, 2));
        var plan = TabularPreprocessingPlan.Fit(table.Columns, train);
        var context = TabularSpaceContext.For(plan, table.Targets.Task, table.Targets.ClassCount, epochs);
        var strategy = SearchStrategies.Create("tpe", TabularParameterSpace.Create(), seed: 1, budget: trials);
        var metric = regression ? MetricCatalog.Rmse : MetricCatalog.Accuracy;
        var root = Directory.CreateTempSubdirectory("amls-bench-tabular").FullName;
        (SupervisedTrainingOutcome Outcome, TabularTrialConfig Config)? best = null;
        try
        {
            for (var n = 1; n <= trials; n++)
            {
                var point = strategy.Ask(n);
                var config = TabularParameterSpace.Decode(point, context);
                var request = new TabularTrainingRequest(config, plan, train, validation, Path.Combine(root, $"trial-{n}"), n, DeviceDetector.Resolve("cpu"));
                var outcome = await TabularTrainer.TrainAsync(request, _ => Task.CompletedTask, CancellationToken.None);
                strategy.Tell(n, point, metric.Maximised(outcome.BestValMetric));
                if (best is null || metric.IsBetter(outcome.BestValMetric, best.Value.Outcome.BestValMetric)) best = (outcome, config);
            }
            var (bestOutcome, bestConfig) = best!.Value;
            var result = TabularTrainer.Evaluate(bestConfig.Architecture, bestOutcome.BestWeightsPath, plan, test, DeviceDetector.Resolve("cpu"));
            var figure = regression
                ? $"test RMSE {result.Rmse:F1} and MAE {result.Mae:F1} (target std {Std(test.Targets.Values):F1})"
                : $"test accuracy {result.Accuracy:P1}";
            Console.WriteLine($"{table.Name,-14} {table.Rows.Count} rows: {figure} on {test.Count} rows; best val {metric.Name} {bestOutcome.BestValMetric:G4}; "
                + $"{bestOutcome.Parameters:N0} parameters, {TabularCost.CountFlops(bestConfig.Architecture):N0} MACs; {clock.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static TabularExamples Part(Table table, int[] split, int part)
    {
        var rows = Enumerable.Range(0, table.Rows.Count).Where(i => split[i] == part).ToArray();
        var targets = table.Targets.Task == PredictionTask.Regression
            ? SupervisedTargets.Numbers([.. rows.Select(i => table.Targets.Values[i])])
            : SupervisedTargets.Classes([.. rows.Select(i => table.Targets.Labels[i])], table.Targets.ClassCount);
        return new TabularExamples([.. rows.Select(i => table.Rows[i])], targets);
    }

    // sklearn's format: a first line "samples,features,class names...", then the features and the class index per row.
    internal static Table Classification(string dir, string file)
    {
        var lines = File.ReadAllLines(Path.Combine(dir, file));
        var header = lines[0].Split(',');
        var features = int.Parse(header[1], CultureInfo.InvariantCulture);
        var columns = Enumerable.Range(0, features).Select(j => new TabularColumn($"f{j}", TabularColumnTypes.Numeric)).ToArray();
        var cells = lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToList();
        var rows = cells.Select(c => (IReadOnlyDictionary<string, string?>)columns.Select((col, j) => (col.Name, (string?)c[j])).ToDictionary()).ToList();
        var labels = cells.Select(c => int.Parse(c[features], CultureInfo.InvariantCulture)).ToArray();
        return new Table(Path.GetFileNameWithoutExtension(file), columns, rows, SupervisedTargets.Classes(labels, header.Length - 2), header[2..]);
    }

    // Raw diabetes data: age, sex (1 or 2, taken as a category), bmi, bp and six blood serum values; the target is disease progression.
    internal static Table Diabetes(string dir)
    {
        string[] Lines(string file)
        {
            using var reader = new StreamReader(new GZipStream(File.OpenRead(Path.Combine(dir, file)), CompressionMode.Decompress));
            return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        var columns = Enumerable.Range(0, 10).Select(j => new TabularColumn($"x{j}", j == 1 ? TabularColumnTypes.Categorical : TabularColumnTypes.Numeric)).ToArray();
        var rows = Lines("diabetes_data_raw.csv.gz").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(c => (IReadOnlyDictionary<string, string?>)columns.Select((col, j) => (col.Name, (string?)c[j])).ToDictionary()).ToList();
        var targets = Lines("diabetes_target.csv.gz").Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        return new Table("diabetes", columns, rows, SupervisedTargets.Numbers(targets));
    }

    private static double Std(IReadOnlyCollection<double> values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
    }
}
