using System.IO.Compression;
using AutoMLStudio.Engine.Data;
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

    /// <summary>Writes the first <paramref name="limit"/> images (training file first, then the test file) as PNGs in class folders.</summary>
    public static int WriteFashionMnist(string zipPath, string folder, int limit = int.MaxValue)
    {
        using var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create);
        var total = 0;
        foreach (var part in new[] { "train", "t10k" })
        {
            var images = ReadIdx(Path.Combine(folder, $"{part}-images-idx3-ubyte.gz"));
            var labels = ReadIdx(Path.Combine(folder, $"{part}-labels-idx1-ubyte.gz"));
            var count = Math.Min(labels.Length - 8, limit - total);
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

    /// <summary>The first <paramref name="limit"/> images of Fashion-MNIST's training file (or <c>t10k</c>, the test file), as the engine trains on them.</summary>
    public static ImageTensorData LoadFashionMnist(string folder, int limit, string part = "train")
    {
        var images = ReadIdx(Path.Combine(folder, $"{part}-images-idx3-ubyte.gz"));
        var labels = ReadIdx(Path.Combine(folder, $"{part}-labels-idx1-ubyte.gz"));
        var count = Math.Min(limit, labels.Length - 8);
        var pixels = new float[count * 784];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = images[16 + i] / 255f;
        return new ImageTensorData(pixels, labels.AsSpan(8, count).ToArray().Select(l => (int)l).ToArray(), 1, 28);
    }

    /// <summary>Fashion-MNIST where it is installed, else the generated patterns at its shape (28x28 grey, 10 classes).</summary>
    public static (ImageTensorData Data, string Name) LoadImages(string? fashionMnist, int limit)
    {
        if (fashionMnist is not null) return (LoadFashionMnist(fashionMnist, limit), $"Fashion-MNIST ({limit:N0} training images)");
        var random = new Random(1);
        var pixels = new float[limit * 784];
        var labels = new int[limit];
        for (var n = 0; n < limit; n++)
        {
            labels[n] = n % 10;
            for (var i = 0; i < 784; i++)
                pixels[n * 784 + i] = (((i % 28) * (labels[n] + 1) + i / 28 * (10 - labels[n])) / 4 % 2 == 0 ? 0.75f : 0.25f) + (float)random.NextDouble() * 0.2f;
        }
        return (new ImageTensorData(pixels, labels, 1, 28), $"generated 28x28 patterns ({limit:N0} images; Fashion-MNIST not found)");
    }

    /// <summary>scikit-learn's 8x8 digits (digits.csv.gz: 64 pixel values 0-16 and the digit per row), 1,797 images.</summary>
    public static (byte[][] Pixels, int[] Labels) ReadDigits(string sklearnData)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(Path.Combine(sklearnData, "digits.csv.gz")), CompressionMode.Decompress));
        var rows = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(',').Select(v => (int)double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToList();
        return ([.. rows.Select(r => r[..64].Select(v => (byte)v).ToArray())], [.. rows.Select(r => r[64])]);
    }

    /// <summary>Writes digits as 8x8 grey PNGs in one folder per digit (see <see cref="DigitPng"/>).</summary>
    public static void WriteDigits(string zipPath, IReadOnlyList<byte[]> pixels, IReadOnlyList<int> labels)
    {
        using var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create);
        for (var n = 0; n < pixels.Count; n++)
        {
            using var entry = zip.CreateEntry($"digits/{labels[n]}/{n:0000}.png", CompressionLevel.Fastest).Open();
            entry.Write(DigitPng(pixels[n]));
        }
    }

    /// <summary>One digit as an 8x8 grey PNG, its 0-16 values scaled to 0-255.</summary>
    public static byte[] DigitPng(byte[] pixels)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(8, 8, SKColorType.Gray8));
        var scaled = pixels.Select(v => (byte)Math.Round(v * 255.0 / 16)).ToArray();
        System.Runtime.InteropServices.Marshal.Copy(scaled, 0, bitmap.GetPixels(), scaled.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    internal static byte[] ReadIdx(string gzPath)
    {
        using var gz = new GZipStream(File.OpenRead(gzPath), CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gz.CopyTo(buffer);
        return buffer.ToArray();
    }

    internal static void AddPng(ZipArchive zip, string name, SKBitmap bitmap)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        using var entry = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        data.SaveTo(entry);
    }
}
