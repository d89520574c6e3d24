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

    /// <summary>
    /// Imports each candidate (or records why it was skipped), checking for a cancel between chunks. Reading stays
    /// sequential (a zip cannot be read from two threads); decoding, thumbnails and hashes run on every core, and the
    /// results are added in the candidates' order, so an import is the same whatever the core count.
    /// </summary>
    public static async Task ImportAllAsync(ImportSink sink, IReadOnlyList<(ImageCandidate Image, string? Problem)> candidates, CancellationToken ct)
    {
        CreateFolders(sink.Staging);
        var chunkSize = 16 * Environment.ProcessorCount;
        for (var start = 0; start < candidates.Count; start += chunkSize)
        {
            var chunk = candidates.Skip(start).Take(chunkSize).ToList();
            var read = chunk.Select(c => c.Problem is null ? Read(c.Image, sink.Limits) : new ReadResult(null, c.Problem)).ToList();
            var results = new (DatasetItem? Item, string? Problem)[chunk.Count];
            Parallel.For(0, chunk.Count, new ParallelOptions { CancellationToken = ct }, n =>
                results[n] = read[n].Bytes is { } bytes ? Store(sink.Dataset.Id, chunk[n].Image, bytes, sink.Staging, sink.Limits) : (null, read[n].Problem));

            for (var n = 0; n < chunk.Count; n++)
            {
                if (results[n].Item is { } item) sink.Add(item);
                else sink.Skip(chunk[n].Image.FullName, results[n].Problem!);
            }
            await sink.CheckpointAsync((start + chunk.Count) / (double)candidates.Count, ct);
        }
    }

    public static void CreateFolders(string staging)
    {
        Directory.CreateDirectory(Path.Combine(staging, "items"));
        Directory.CreateDirectory(Path.Combine(staging, "thumbs"));
    }

    private sealed record ReadResult(byte[]? Bytes, string? Problem);

    private static ReadResult Read(ImageCandidate entry, ImportOptions limits)
    {
        if (entry.Length > limits.MaxImageBytes)
            return new(null, $"larger than the {limits.MaxImageBytes / (1024 * 1024)} MB limit for one image");
        try
        {
            return entry.ReadBounded(limits.MaxImageBytes) is { } bytes
                ? new(bytes, null)
                : new(null, $"unpacks to more than the {limits.MaxImageBytes / (1024 * 1024)} MB limit for one image");
        }
        catch (InvalidDataException) { return new(null, "damaged inside the zip"); }
        catch (IOException ex) { return new(null, $"could not be read: {ex.Message}"); }
    }

    /// <summary>Checks, stores and thumbnails one image's bytes: the new item, or the reason it was skipped.</summary>
    private static (DatasetItem? Item, string? Problem) Store(Guid datasetId, ImageCandidate entry, byte[] bytes, string staging, ImportOptions limits)
    {
        var probe = ImageDecoder.Probe(bytes);
        if (probe is null) return (null, "not a readable image (the content is not PNG, JPEG, BMP, WebP or GIF)");
        if ((long)probe.Width * probe.Height > limits.MaxImagePixels)
            return (null, $"{probe.Width}×{probe.Height} pixels is over the limit of {limits.MaxImagePixels:N0} pixels");

        byte[] thumbnail;
        long perceptualHash;
        try { (thumbnail, perceptualHash) = (ImageDecoder.Thumbnail(bytes, limits.ThumbnailSize), ImageDecoder.DifferenceHash(bytes)); }
        catch (InvalidDataException) { return (null, "corrupt or truncated image"); }

        var itemId = Guid.NewGuid();
        // The name in the zip or request is the uploader's to choose; the stored name must say what the bytes are.
        var extension = probe.Format.Extension();
        File.WriteAllBytes(Path.Combine(staging, "items", $"{itemId:N}{extension}"), bytes);
        File.WriteAllBytes(Path.Combine(staging, "thumbs", $"{itemId:N}.png"), thumbnail);
        return (new DatasetItem
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
        }, null);
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
