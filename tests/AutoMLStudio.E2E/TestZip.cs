using System.IO.Compression;
using SkiaSharp;

namespace AutoMLStudio.E2E;

/// <summary>A small zip of class folders a model can learn in seconds: reddish, greenish and bluish noise images.</summary>
public static class TestZip
{
    public static readonly string[] Classes = ["blue", "green", "red"];

    public static string Create(string folder, int perClass = 25)
    {
        var path = Path.Combine(folder, "colours.zip");
        var random = new Random(7);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var label in Classes)
        {
            for (var i = 0; i < perClass; i++)
                Add(zip, $"{label}/{label}-{i:00}.png", Png(label, random));
        }
        // Not an image at all: the import must skip it and say why.
        Add(zip, "red/bad.png", "this is not a png"u8.ToArray());
        return path;
    }

    private static byte[] Png(string label, Random random)
    {
        using var bitmap = new SKBitmap(16, 16, SKColorType.Rgba8888, SKAlphaType.Premul);
        for (var y = 0; y < 16; y++)
        for (var x = 0; x < 16; x++)
        {
            byte Noise(int baseValue) => (byte)Math.Clamp(baseValue + random.Next(-40, 41), 0, 255);
            var (r, g, b) = label switch { "red" => (200, 40, 40), "green" => (40, 190, 60), _ => (40, 60, 200) };
            bitmap.SetPixel(x, y, new SKColor(Noise(r), Noise(g), Noise(b)));
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static void Add(ZipArchive zip, string name, byte[] content)
    {
        using var stream = zip.CreateEntry(name).Open();
        stream.Write(content);
    }
}
