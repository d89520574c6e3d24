using System.Diagnostics;

namespace AutoMLStudio.Bench;

/// <summary>
/// scikit-learn's defaults on a benchmark's own train and test files, through bench/sklearn_baselines.py and Debian's
/// /usr/bin/python3 (whose python3-sklearn the script needs); where either is missing it says how to get it and the
/// benchmark goes on without.
/// </summary>
public static class SklearnBaselines
{
    private const string Python = "/usr/bin/python3";
    private const string Install = "apt-get install -y python3-sklearn";

    public static async Task RunAsync(string trainCsv, string testCsv, string labelColumn, bool regression)
    {
        if (!File.Exists(Python) || FindScript() is not { } script)
        {
            Console.WriteLine($"  scikit-learn baselines skipped: {Python} or bench/sklearn_baselines.py not found ({Install})");
            return;
        }
        var start = new ProcessStartInfo(Python)
        {
            ArgumentList = { script, "--train", trainCsv, "--test", testCsv, "--label", labelColumn, "--task", regression ? "regression" : "classification" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Python} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        // scikit-learn's warnings (a logistic regression that stops at its iteration limit) go to stderr: shown only on failure.
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        foreach (var line in (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries)) Console.WriteLine($"  {line}");
        // Exit code 3: the script could not import scikit-learn and has said so.
        if (process.ExitCode is not (0 or 3)) Console.WriteLine($"  scikit-learn baselines failed ({process.ExitCode}): {(await errors).Trim()}");
    }

    private static string? FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, "bench", "sklearn_baselines.py");
            if (File.Exists(script)) return script;
        }
        return null;
    }
}
