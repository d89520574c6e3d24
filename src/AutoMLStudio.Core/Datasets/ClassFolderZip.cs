using System.IO.Compression;

namespace AutoMLStudio.Core.Datasets;

/// <summary>What a zip is expected to hold: images in class folders, loose images, or text files in class folders.</summary>
public enum ZipContent { ImagesInClassFolders, LooseImages, TextInClassFolders }

/// <summary>Reads a zip of class folders (<c>cat/1.png</c>, or the same inside one wrapping folder), or of loose files.</summary>
public static class ClassFolderZip
{
    public static readonly IReadOnlySet<string> ImageExtensions =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".bmp", ".webp", ".gif" };
    public static readonly IReadOnlySet<string> TextExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".txt" };

    public sealed record Entry(ZipArchiveEntry ZipEntry, string? Label, string? Problem);

    /// <summary>
    /// Every file entry with its class (the first folder under the optional wrapping folder) or the reason it is
    /// skipped. Entry names are only ever used as labels, never as paths on disk, so "../" cannot escape anything.
    /// Loose images get no label.
    /// </summary>
    public static IReadOnlyList<Entry> Classify(ZipArchive zip, int maxCompressionRatio = 200, ZipContent content = ZipContent.ImagesInClassFolders)
    {
        var extensions = content == ZipContent.TextInClassFolders ? TextExtensions : ImageExtensions;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var files = zip.Entries
            .Where(e => !e.FullName.EndsWith('/') && !IsSystemClutter(e.FullName))
            .Select(e => (Entry: e, Parts: e.FullName.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries)))
            .Where(f => f.Parts.Length > 0)
            .ToList();

        // One folder that wraps everything ("animals/cat/1.png") is the archive's name, not a class.
        var wrapped = files.Count > 0 && files.All(f => f.Parts.Length >= 3)
                      && files.Select(f => f.Parts[0]).Distinct(StringComparer.Ordinal).Count() == 1;
        var skip = wrapped ? 1 : 0;

        return files.Select(f =>
        {
            if (IsSymbolicLink(f.Entry))
                return new Entry(f.Entry, null, "a symbolic link, not a file");
            if (!seen.Add(string.Join('/', f.Parts)))
                return new Entry(f.Entry, null, "a second file with the same name; the first one was kept");
            if (f.Entry.CompressedLength > 0 && f.Entry.Length / f.Entry.CompressedLength > maxCompressionRatio)
                return new Entry(f.Entry, null, $"compressed more than {maxCompressionRatio}:1, which real images never are (a zip bomb?)");
            var extension = Path.GetExtension(f.Parts[^1]);
            if (!extensions.Contains(extension))
                return new Entry(f.Entry, null, content == ZipContent.TextInClassFolders
                    ? "not a text file (expected .txt)" : "not an image file (expected PNG, JPEG, BMP, WebP or GIF)");
            if (content == ZipContent.LooseImages)
                return new Entry(f.Entry, null, null);
            if (f.Parts.Length - skip < 2)
                return new Entry(f.Entry, null, "not inside a class folder");
            var label = f.Parts[skip].Trim();
            if (label.Length == 0 || label is "." or "..")
                return new Entry(f.Entry, null, "the folder name is not a usable class name");
            return new Entry(f.Entry, label, null);
        }).ToList();
    }

    // Unix zip tools keep the file mode in the upper 16 bits of the external attributes; 0xA000 is a symbolic link.
    private static bool IsSymbolicLink(ZipArchiveEntry entry) => ((entry.ExternalAttributes >> 16) & 0xF000) == 0xA000;

    /// <summary>
    /// Reads an entry, but never more than <paramref name="maxBytes"/>: the sizes in a zip's directory are claims,
    /// and a forged one must not make us inflate gigabytes. Null when the entry is larger.
    /// </summary>
    public static byte[]? ReadBounded(ZipArchiveEntry entry, long maxBytes)
    {
        using var source = entry.Open();
        return ReadBounded(source, entry.Length, maxBytes);
    }

    public static byte[]? ReadBounded(Stream source, long claimedLength, long maxBytes)
    {
        using var buffer = new MemoryStream((int)Math.Min(Math.Max(claimedLength, 0), maxBytes));
        var chunk = new byte[81920];
        int read;
        while ((read = source.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > maxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    public static bool IsSystemClutter(string name) =>
        name.StartsWith("__MACOSX/", StringComparison.Ordinal)
        || Path.GetFileName(name).StartsWith('.')
        || Path.GetFileName(name).Equals("Thumbs.db", StringComparison.OrdinalIgnoreCase);
}
