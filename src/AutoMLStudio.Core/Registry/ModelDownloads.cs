using System.IO.Compression;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Registry;

/// <summary>A file to send: one on disk (<see cref="Path"/>) or one built in memory (<see cref="Content"/>).</summary>
public sealed record DownloadFile(string FileName, string ContentType, string? Path = null, Stream? Content = null);

/// <summary>
/// A model version as a download: the ONNX graph, the TorchSharp weights with model.json, or the bundle of the graph, its
/// preprocessing, labels and a README.
/// </summary>
public sealed class ModelDownloads(StudioDbContext db, IArtifactStore store)
{
    public static readonly IReadOnlyList<string> Formats = ["torchsharp", "onnx", "bundle"];

    /// <param name="version">Null for the latest.</param>
    public async Task<DownloadFile> OpenAsync(Guid modelId, string? format, int? version, CancellationToken ct)
    {
        format = (format ?? "torchsharp").ToLowerInvariant();
        if (!Formats.Contains(format))
            throw new UserInputException("Unknown format", $"'{format}' is not a download format. Use format=onnx, format=torchsharp or format=bundle.");

        var model = await db.Models.AsNoTracking().Include(m => m.Versions).SingleOrDefaultAsync(m => m.Id == modelId, ct)
                    ?? throw UserInputException.NotFound("Model", modelId);
        var chosen = version is null ? model.Versions.MaxBy(v => v.Version) : model.Versions.SingleOrDefault(v => v.Version == version);
        if (chosen is null)
            throw new UserInputException("Version not found", $"Model '{model.Name}' has no version {version}.", 404);

        var folder = store.FullPath(chosen.ArtifactFolder);
        var baseName = $"{Sanitize(model.Name)}-v{chosen.Version}";
        if (format != "torchsharp" && chosen.OnnxSha256 is null)
            throw new UserInputException("No ONNX graph",
                $"Version {chosen.Version} was registered before the studio exported ONNX. Register its trial again for an ONNX download.", 409);
        if (format == "onnx")
            return new DownloadFile($"{baseName}.onnx", "application/octet-stream", Path: System.IO.Path.Combine(folder, ModelFiles.Onnx));

        var zip = new MemoryStream();
        if (format == "bundle")
        {
            ModelBundle.Write(zip, folder, chosen, ModelCard.FromJson(chosen.CardJson));
        }
        else
        {
            using var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true);
            archive.CreateEntryFromFile(System.IO.Path.Combine(folder, ModelFiles.Weights), ModelFiles.Weights, CompressionLevel.Fastest);
            using (var writer = new StreamWriter(archive.CreateEntry(ModelFiles.Card, CompressionLevel.Fastest).Open()))
                writer.Write(chosen.CardJson);
            if (chosen.PreprocessingSha256 is not null)
                archive.CreateEntryFromFile(System.IO.Path.Combine(folder, ModelFiles.Preprocessing), ModelFiles.Preprocessing, CompressionLevel.Fastest);
        }
        zip.Position = 0;
        return new DownloadFile($"{baseName}-{format}.zip", "application/zip", Content: zip);
    }

    private static string Sanitize(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
}
