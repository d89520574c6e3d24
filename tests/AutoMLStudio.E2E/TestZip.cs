using System.IO.Compression;
using SkiaSharp;

namespace AutoMLStudio.E2E;

/// <summary>A small zip of class folders a model can learn in seconds: reddish, greenish and bluish noise images.</summary>
public static class TestZip
{
    public static readonly string[] Classes = ["blue", "green", "red"];

    public static string Create(string folder, int perClass = 25, int size = 16)
    {
        var path = Path.Combine(folder, "colours.zip");
        var random = new Random(7);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var label in Classes)
        {
            for (var i = 0; i < perClass; i++)
                Add(zip, $"{label}/{label}-{i:00}.png", Png(label, random, size));
        }
        // Not an image at all: the import must skip it and say why.
        Add(zip, "red/bad.png", "this is not a png"u8.ToArray());
        return path;
    }

    /// <summary>Two classes of <paramref name="perClass"/> images, plus a byte-identical copy of the first red image filed under blue.</summary>
    public static string WithConflictingCopy(string folder, int perClass = 5)
    {
        var path = Path.Combine(folder, "conflict.zip");
        var random = new Random(11);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        byte[]? copied = null;
        foreach (var label in new[] { "blue", "red" })
        {
            for (var i = 0; i < perClass; i++)
            {
                var png = Png(label, random);
                if (label == "red" && i == 0) copied = png;
                Add(zip, $"{label}/{label}-{i:00}.png", png);
            }
        }
        Add(zip, "blue/copy-of-red.png", copied!);
        return path;
    }

    /// <summary>
    /// The three colours with <paramref name="wrongPerClass"/> images of each filed under the next colour: labels a model
    /// cannot learn, so its test split has mistakes to show.
    /// </summary>
    public static string WithWrongLabels(string folder, int perClass = 10, int wrongPerClass = 4)
    {
        var path = Path.Combine(folder, "wrong-labels.zip");
        var random = new Random(5);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        for (var c = 0; c < Classes.Length; c++)
        {
            for (var i = 0; i < perClass; i++)
                Add(zip, $"{Classes[c]}/{Classes[c]}-{i:00}.png", Png(Classes[c], random));
            var filedUnder = Classes[(c + 1) % Classes.Length];
            for (var i = 0; i < wrongPerClass; i++)
                Add(zip, $"{filedUnder}/really-{Classes[c]}-{i:00}.png", Png(Classes[c], random));
        }
        return path;
    }

    /// <summary>Loose image files (no folders), as a user picks several at once.</summary>
    public static IReadOnlyList<string> LooseImages(string folder, int count)
    {
        var random = new Random(3);
        return Enumerable.Range(0, count).Select(i =>
        {
            var path = Path.Combine(folder, $"loose-{i:00}.png");
            File.WriteAllBytes(path, Png(Classes[i % Classes.Length], random));
            return path;
        }).ToList();
    }

    private static byte[] Png(string label, Random random, int size = 16)
    {
        using var bitmap = new SKBitmap(size, size, SKColorType.Rgba8888, SKAlphaType.Premul);
        for (var y = 0; y < size; y++)
        for (var x = 0; x < size; x++)
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
