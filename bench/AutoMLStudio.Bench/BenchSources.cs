using System.IO.Compression;
using SkiaSharp;

namespace AutoMLStudio.Bench;

/// <summary>Zips of class folders to import: generated shapes, or Fashion-MNIST's idx files turned into PNGs.</summary>
public static class BenchSources
{
    public static readonly string[] FashionClasses =
        ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot"];

    public static void WriteGenerated(string zipPath, int count, int size = 32)
    {
        using var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create);
        var random = new Random(1);
        using var bitmap = new SKBitmap(size, size);
        for (var n = 0; n < count; n++)
        {
            var label = n % 10;
            for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                var on = ((x * (label + 1) + y * (10 - label)) / 4) % 2 == 0;
                var v = (byte)Math.Clamp((on ? 190 : 60) + random.Next(-30, 31), 0, 255);
                bitmap.SetPixel(x, y, new SKColor(v, (byte)(v / 2), (byte)(255 - v)));
            }
            AddPng(zip, $"generated/class-{label}/{n:000000}.png", bitmap);
        }
    }

    public static int WriteFashionMnist(string zipPath, string folder)
    {
        using var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create);
        var total = 0;
        foreach (var part in new[] { "train", "t10k" })
        {
            var images = ReadIdx(Path.Combine(folder, $"{part}-images-idx3-ubyte.gz"));
            var labels = ReadIdx(Path.Combine(folder, $"{part}-labels-idx1-ubyte.gz"));
            var count = labels.Length - 8;
            using var bitmap = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Gray8));
            for (var n = 0; n < count; n++)
            {
                System.Runtime.InteropServices.Marshal.Copy(images, 16 + n * 784, bitmap.GetPixels(), 784);
                AddPng(zip, $"fashion-mnist/{FashionClasses[labels[8 + n]]}/{part}-{n:00000}.png", bitmap);
            }
            total += count;
        }
        return total;
    }

    private static byte[] ReadIdx(string gzPath)
    {
        using var gz = new GZipStream(File.OpenRead(gzPath), CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gz.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static void AddPng(ZipArchive zip, string name, SKBitmap bitmap)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        using var entry = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        data.SaveTo(entry);
    }
}
