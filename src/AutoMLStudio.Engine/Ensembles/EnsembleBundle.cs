using System.IO.Compression;

namespace AutoMLStudio.Engine.Ensembles;

/// <summary>
/// An ensemble's weights file: a zip of its members' weights files (<c>member-0.weights</c>, …, in the configuration's order),
/// so the ensemble is one file that the registry copies like any model's weights and that needs no trial folder later.
/// </summary>
public static class EnsembleBundle
{
    /// <summary>Writes the bundle of <paramref name="memberWeights"/> to <paramref name="path"/> (through a temporary file, so no half-written bundle is left).</summary>
    public static void Write(string path, IReadOnlyList<string> memberWeights)
    {
        ArgumentNullException.ThrowIfNull(memberWeights);
        var partial = path + ".partial";
        using (var zip = ZipFile.Open(partial, ZipArchiveMode.Create))
        {
            for (var i = 0; i < memberWeights.Count; i++) zip.CreateEntryFromFile(memberWeights[i], EntryName(i), CompressionLevel.Fastest);
        }
        File.Move(partial, path, overwrite: true);
    }

    /// <summary>Extracts the members' weights into a new temporary folder, which the caller deletes (<see cref="Extracted.Dispose"/>).</summary>
    /// <exception cref="InvalidDataException">The file is not a bundle of <paramref name="members"/> weights files.</exception>
    public static Extracted Extract(string path, int members)
    {
        var folder = Directory.CreateTempSubdirectory("automl-ensemble-").FullName;
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var paths = new List<string>(members);
            for (var i = 0; i < members; i++)
            {
                var entry = zip.GetEntry(EntryName(i)) ?? throw new InvalidDataException($"The ensemble's weights lack member {i + 1}.");
                var target = Path.Combine(folder, EntryName(i));
                entry.ExtractToFile(target);
                paths.Add(target);
            }
            return new Extracted(folder, paths);
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    private static string EntryName(int member) => $"member-{member}.weights";

    /// <summary>Members' weights files in a temporary folder, deleted on dispose.</summary>
    public sealed class Extracted(string folder, IReadOnlyList<string> paths) : IDisposable
    {
        /// <summary>Each member's weights file, in the configuration's order.</summary>
        public IReadOnlyList<string> Paths { get; } = paths;

        public void Dispose()
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still open elsewhere (a session being torn down) is left to the temp folder's cleaning.
            }
        }
    }
}
