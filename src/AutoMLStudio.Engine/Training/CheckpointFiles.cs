using System.Text.Json;
using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Engine.Training;

/// <summary>File writes of the trainers' checkpoints, each atomic so a crash leaves the previous one valid.</summary>
internal static class CheckpointFiles
{
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
}
