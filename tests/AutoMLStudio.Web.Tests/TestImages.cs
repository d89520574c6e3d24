using System.IO.Compression;
using SkiaSharp;

namespace AutoMLStudio.Web.Tests;

/// <summary>Zips of generated images whose classes are easy to tell apart: stripes one way, the other way, or a checkerboard.</summary>
public static class TestImages
{
    public static readonly string[] Classes = ["checker", "horizontal", "vertical"];

    public static byte[] Png(string pattern, int seed, int size = 16)
    {
        var random = new Random(seed);
        using var bitmap = new SKBitmap(size, size);
        for (var y = 0; y < size; y++)
        for (var x = 0; x < size; x++)
        {
            var on = pattern switch
            {
                "horizontal" => y / 2 % 2 == 0,
                "vertical" => x / 2 % 2 == 0,
                _ => (x / 2 + y / 2) % 2 == 0,
            };
            var v = (byte)Math.Clamp((on ? 200 : 50) + random.Next(-40, 41), 0, 255);
            bitmap.SetPixel(x, y, new SKColor(v, (byte)(255 - v), 128));
        }
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }

    public static byte[] ClassFolderZip(int perClass = 30, string? wrapper = "shapes", Action<ZipArchive>? extra = null)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var prefix = wrapper is null ? "" : wrapper + "/";
            foreach (var (name, c) in Classes.Select((n, i) => (n, i)))
                for (var i = 0; i < perClass; i++)
                    Add(zip, $"{prefix}{name}/{name}-{i:000}.png", Png(name, c * 1000 + i));
            extra?.Invoke(zip);
        }
        return buffer.ToArray();
    }

    public static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, content) in entries) Add(zip, name, content);
        return buffer.ToArray();
    }

    public static void Add(ZipArchive zip, string name, byte[] content)
    {
        using var stream = zip.CreateEntry(name).Open();
        stream.Write(content);
    }
}
