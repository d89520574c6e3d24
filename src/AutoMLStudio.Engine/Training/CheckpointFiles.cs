using System.Text.Json;
using AutoMLStudio.Engine.Spaces;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Training;

/// <summary>
/// The one layout of a neural learner's checkpoint folder: <c>epoch-N.weights</c> and <c>epoch-N.optimizer</c> after
/// epoch N, <c>best.weights</c> for the best epoch, and <c>state.json</c>, the commit record written last. Every
/// file is written to a temporary name and moved over the old one, so a crash leaves the previous checkpoint valid.
/// </summary>
public static class CheckpointFiles
{
    /// <summary>File name of the best epoch's weights.</summary>
    public const string BestWeightsFile = "best.weights";

    /// <summary>File name of the commit record (JSON).</summary>
    public const string StateFile = "state.json";

    /// <summary>File name of the weights after <paramref name="epoch"/> (kept until a later epoch is committed).</summary>
    public static string EpochWeightsFile(int epoch) => $"epoch-{epoch}.weights";

    /// <summary>File name of the optimizer state after <paramref name="epoch"/>.</summary>
    public static string EpochOptimizerFile(int epoch) => $"epoch-{epoch}.optimizer";

    /// <summary>Writes through <paramref name="write"/> to a temporary name, then moves it over <paramref name="path"/>.</summary>
    public static void WriteAtomically(string path, Action<string> write)
    {
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            write(temp);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Writes <paramref name="value"/> as Engine JSON, atomically.</summary>
    public static void WriteJson<T>(string path, T value) =>
        WriteAtomically(path, temp => File.WriteAllText(temp, JsonSerializer.Serialize(value, EngineJson.Options)));

    /// <summary>The Engine JSON at <paramref name="path"/>, or null when there is no such file.</summary>
    public static T? ReadJson<T>(string path) where T : class =>
        File.Exists(path)
            ? JsonSerializer.Deserialize<T>(File.ReadAllText(path), EngineJson.Options) ?? throw new InvalidDataException($"{path} is empty.")
            : null;

    /// <summary>The folder's commit record, or null when it has none.</summary>
    /// <exception cref="InvalidDataException">The record contradicts itself.</exception>
    internal static CheckpointState<TReport>? Load<TReport>(string folder) where TReport : class
    {
        var path = Path.Combine(folder, StateFile);
        var state = ReadJson<CheckpointState<TReport>>(path);
        if (state is not null && state.Epochs.Count != state.Epoch)
            throw new InvalidDataException($"The checkpoint state {path} lists {state.Epochs.Count} epochs but says {state.Epoch}.");
        return state;
    }

    /// <summary>Commits the epoch <paramref name="reports"/> ends with: weights, optimizer state, then the record; older epoch files go last.</summary>
    internal static CheckpointState<TReport> Save<TReport>(string folder, nn.Module model, StableOptimizer optimizer, List<TReport> reports,
        int bestEpoch, double best, long step, string? metric, CheckpointState<TReport>? previous) where TReport : class
    {
        var epoch = reports.Count;
        var state = new CheckpointState<TReport>(epoch, [.. reports], bestEpoch, EpochWeightsFile(epoch), EpochOptimizerFile(epoch), step, metric, best);
        WriteAtomically(Path.Combine(folder, state.WeightsFile), p => model.save(p));
        WriteAtomically(Path.Combine(folder, state.OptimizerFile), optimizer.Save);
        WriteJson(Path.Combine(folder, StateFile), state);

        // Older epoch files are only dropped once the new record points past them.
        if (previous is not null && previous.WeightsFile != state.WeightsFile)
        {
            File.Delete(Path.Combine(folder, previous.WeightsFile));
            File.Delete(Path.Combine(folder, previous.OptimizerFile));
        }
        return state;
    }
}

/// <summary>
/// The commit record of a checkpoint folder. It reads the records both trainers wrote before they became one loop:
/// the image trainer's (no <see cref="Metric"/>; <c>bestValAccuracy</c>, ignored) and the row trainers' (no
/// <see cref="Step"/>; their schedule was constant).
/// </summary>
/// <param name="Epoch">Epochs finished.</param>
/// <param name="Epochs">Their reports, in order.</param>
/// <param name="BestEpoch">The epoch of <c>best.weights</c>; 0 while none had a finite metric.</param>
/// <param name="WeightsFile">The last epoch's weights.</param>
/// <param name="OptimizerFile">The last epoch's optimizer state.</param>
/// <param name="Step">The learning-rate schedule's position.</param>
/// <param name="Metric">The metric that picks the best epoch, where the learner names it.</param>
/// <param name="BestValMetric">The best epoch's value of it.</param>
internal sealed record CheckpointState<TReport>(int Epoch, List<TReport> Epochs, int BestEpoch, string WeightsFile, string OptimizerFile,
    long? Step = null, string? Metric = null, double? BestValMetric = null) where TReport : class;
