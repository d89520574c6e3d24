using System.IO.Compression;
using System.Security.Cryptography;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Engine.Data;

namespace AutoMLStudio.Core.Datasets;

/// <summary>One image to import, from a zip entry or a file on the server; <see cref="ReadBounded"/> never reads past its limit.</summary>
public sealed record ImageCandidate(string FullName, string Name, string? Label, long Length, Func<long, byte[]?> ReadBounded)
{
    public static ImageCandidate FromZip(ZipArchiveEntry entry, string? label) =>
        new(entry.FullName, entry.Name, label, entry.Length, max => ClassFolderZip.ReadBounded(entry, max));
}

/// <summary>
/// Images from a zip: class folders (the folder is the label) or loose images (no label: the unlabeled pool;
/// a multi-file upload is packed into such a zip as it arrives). Unreadable images are skipped and listed.
/// </summary>
public static class ImageZipImport
{
    public static async Task RunAsync(ImportSink sink, ZipContent content, CancellationToken ct)
    {
        using var zip = ZipFile.OpenRead(sink.UploadPath);
        var entries = ClassFolderZip.Classify(zip, sink.Limits.MaxCompressionRatio, content);
        await ImportAllAsync(sink, entries.Select(e => (ImageCandidate.FromZip(e.ZipEntry, e.Label), e.Problem)).ToList(), ct);
    }

    /// <summary>Imports each candidate (or records why it was skipped), checking for a cancel between files.</summary>
    public static async Task ImportAllAsync(ImportSink sink, IReadOnlyList<(ImageCandidate Image, string? Problem)> candidates, CancellationToken ct)
    {
        CreateFolders(sink.Staging);
        for (var n = 0; n < candidates.Count; n++)
        {
            var (image, skipped) = candidates[n];
            var problem = skipped ?? TryImport(sink.Dataset.Id, image, sink.Staging, sink.Limits, sink);
            if (problem is not null) sink.Skip(image.FullName, problem);
            await sink.CheckpointAsync((n + 1) / (double)candidates.Count, ct);
        }
    }

    public static void CreateFolders(string staging)
    {
        Directory.CreateDirectory(Path.Combine(staging, "items"));
        Directory.CreateDirectory(Path.Combine(staging, "thumbs"));
    }

    /// <summary>Checks, stores and thumbnails one image; the reason it was skipped, or null when it was imported.</summary>
    public static string? TryImport(Guid datasetId, ImageCandidate entry, string staging, ImportOptions limits, ImportSink items)
    {
        if (entry.Length > limits.MaxImageBytes)
            return $"larger than the {limits.MaxImageBytes / (1024 * 1024)} MB limit for one image";

        byte[]? bytes;
        try { bytes = entry.ReadBounded(limits.MaxImageBytes); }
        catch (InvalidDataException) { return "damaged inside the zip"; }
        catch (IOException ex) { return $"could not be read: {ex.Message}"; }
        if (bytes is null) return $"unpacks to more than the {limits.MaxImageBytes / (1024 * 1024)} MB limit for one image";

        var probe = ImageDecoder.Probe(bytes);
        if (probe is null) return "not a readable image (the content is not PNG, JPEG, BMP, WebP or GIF)";
        if ((long)probe.Width * probe.Height > limits.MaxImagePixels)
            return $"{probe.Width}×{probe.Height} pixels is over the limit of {limits.MaxImagePixels:N0} pixels";

        byte[] thumbnail;
        long perceptualHash;
        try { (thumbnail, perceptualHash) = (ImageDecoder.Thumbnail(bytes, limits.ThumbnailSize), ImageDecoder.DifferenceHash(bytes)); }
        catch (InvalidDataException) { return "corrupt or truncated image"; }

        var itemId = Guid.NewGuid();
        var extension = Path.GetExtension(entry.Name).ToLowerInvariant();
        File.WriteAllBytes(Path.Combine(staging, "items", $"{itemId:N}{extension}"), bytes);
        File.WriteAllBytes(Path.Combine(staging, "thumbs", $"{itemId:N}.png"), thumbnail);
        items.Add(new DatasetItem
        {
            Id = itemId,
            DatasetId = datasetId,
            StoragePath = ArtifactPaths.Item(datasetId, itemId, extension),
            OriginalName = entry.FullName,
            Label = entry.Label,
            Width = probe.Width,
            Height = probe.Height,
            Channels = probe.Channels,
            ContentHash = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            PerceptualHash = perceptualHash,
        });
        return null;
    }

    /// <summary>
    /// Packs uploaded images into one zip as they stream in (stored, not compressed: images already are), so a
    /// multi-file upload is imported like a zip of loose images. Names are reduced to the file name and made unique.
    /// </summary>
    public static async Task PackAsync(IReadOnlyList<(string FileName, Stream Content)> files, string zipPath, long maxBytes, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(zipPath)!);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        long total = 0;
        await using var output = new FileStream(zipPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: true);
        using var zip = new ZipArchive(output, ZipArchiveMode.Create);
        foreach (var (fileName, content) in files)
        {
            var name = Path.GetFileName(fileName.Replace('\\', '/'));
            if (string.IsNullOrWhiteSpace(name)) name = "image";
            var unique = name;
            for (var n = 2; !names.Add(unique); n++) unique = $"{Path.GetFileNameWithoutExtension(name)}-{n}{Path.GetExtension(name)}";
            await using var entry = zip.CreateEntry(unique, CompressionLevel.NoCompression).Open();
            total = await UploadDataset.CopyWithinLimitAsync(content, entry, total, maxBytes, "The files together are", ct);
        }
    }
}
