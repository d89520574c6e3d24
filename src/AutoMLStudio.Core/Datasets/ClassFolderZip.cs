using System.IO.Compression;

namespace AutoMLStudio.Core.Datasets;

/// <summary>Reads a zip of class folders (<c>cat/1.png</c>, or the same inside one wrapping folder).</summary>
public static class ClassFolderZip
{
    public static readonly IReadOnlySet<string> ImageExtensions =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".bmp", ".webp", ".gif" };

    public sealed record Entry(ZipArchiveEntry ZipEntry, string? Label, string? Problem);

    /// <summary>
    /// Every file entry with its class (the first folder under the optional wrapping folder) or the reason it is
    /// skipped. Entry names are only ever used as labels, never as paths on disk, so "../" cannot escape anything.
    /// </summary>
    public static IReadOnlyList<Entry> Classify(ZipArchive zip)
    {
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
            var extension = Path.GetExtension(f.Parts[^1]);
            if (!ImageExtensions.Contains(extension))
                return new Entry(f.Entry, null, "not an image file (expected PNG, JPEG, BMP, WebP or GIF)");
            if (f.Parts.Length - skip < 2)
                return new Entry(f.Entry, null, "not inside a class folder");
            var label = f.Parts[skip].Trim();
            if (label.Length == 0 || label is "." or "..")
                return new Entry(f.Entry, null, "the folder name is not a usable class name");
            return new Entry(f.Entry, label, null);
        }).ToList();
    }

    private static bool IsSystemClutter(string name) =>
        name.StartsWith("__MACOSX/", StringComparison.Ordinal)
        || Path.GetFileName(name).StartsWith('.')
        || Path.GetFileName(name).Equals("Thumbs.db", StringComparison.OrdinalIgnoreCase);
}
