using System.Diagnostics;
using System.Text.Json.Nodes;

namespace AutoMLStudio.Bench;

/// <summary>
/// One table of the <c>baselines</c> command, as bench/baselines.py split and scored it: train.csv and test.csv in
/// <paramref name="Folder"/>, and scikit-learn's figures on exactly those rows.
/// </summary>
/// <param name="Task">"classification" or "regression".</param>
/// <param name="Baselines">Each baseline's name and test figure (accuracy as a fraction, or RMSE), in the order they ran.</param>
public sealed record BaselineSplit(string Name, string Folder, string Task, string Label, IReadOnlyList<(string Name, double Value)> Baselines,
    IReadOnlyList<string> Notes)
{
    private const string Python = "/usr/bin/python3";

    /// <summary>The exit code with which the script says a package is missing.</summary>
    public const int MissingPackage = 3;

    public bool Regression => Task == "regression";
    public string TrainCsv => Path.Combine(Folder, "train.csv");
    public string TestCsv => Path.Combine(Folder, "test.csv");

    /// <summary>The best baseline: highest accuracy, or lowest RMSE.</summary>
    public (string Name, double Value)? Best => Baselines.Count == 0 ? null
        : Regression ? Baselines.MinBy(b => b.Value) : Baselines.MaxBy(b => b.Value);

    /// <summary>
    /// Runs the script on <paramref name="source"/> (<c>--dataset NAME</c> or <c>--csv PATH --target COLUMN [--task T]</c>),
    /// echoing what it prints; the exit code and what it said on stderr where it failed.
    /// </summary>
    public static async Task<(BaselineSplit? Split, int ExitCode, string Errors)> PrepareAsync(IEnumerable<string> source, string folder, int seed, int draws)
    {
        if (!File.Exists(Python) || FindScript() is not { } script)
            return (null, MissingPackage, $"{Python} or bench/baselines.py not found (apt-get install -y python3-sklearn)");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        // One thread unless told otherwise: OpenMP's busy-waiting threads (histogram GBM, XGBoost) on 2 cores that others
        // also use turned an 8-second run into more than 15 minutes; one thread took 15 s at load average 20.
        if (Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is null) start.Environment["OMP_NUM_THREADS"] = "1";
        foreach (var argument in (string[])[script, .. source, "--out", folder, "--seed", $"{seed}", "--draws", $"{draws}"]) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Python} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        // scikit-learn's warnings go to stderr: shown only on failure.
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        foreach (var line in (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries)) Console.WriteLine(line);
        if (process.ExitCode != 0) return (null, process.ExitCode, (await errors).Trim());

        var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "baselines.json")))!;
        var baselines = json["baselines"]!.AsArray().Select(b => ((string)b!["name"]!, (double)b["value"]!)).ToList();
        var notes = json["notes"]!.AsArray().Select(n => (string)n!).ToList();
        return (new BaselineSplit((string)json["name"]!, folder, (string)json["task"]!, (string)json["label"]!, baselines, notes), 0, "");
    }

    private static string? FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, "bench", "baselines.py");
            if (File.Exists(script)) return script;
        }
        return null;
    }
}
