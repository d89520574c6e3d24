using AutoMLStudio.Engine.Data;
using SkiaSharp;

namespace AutoMLStudio.Engine.Tests.Data;

public sealed class PerceptualHashTests
{
    // Smooth waves whose directions and phases come from the seed: no flat areas (where any hash is noise),
    // and two seeds give different pictures.
    private static SKBitmap Scene(int seed, int width = 96, int height = 72)
    {
        var random = new Random(seed);
        var (fx1, fy1, fx2, fy2) = (random.NextDouble() * 0.15, random.NextDouble() * 0.15, random.NextDouble() * 0.1, random.NextDouble() * 0.1);
        var (p1, p2) = (random.NextDouble() * 6, random.NextDouble() * 6);
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var v = 128 + 70 * Math.Sin(x * fx1 + y * fy1 + p1) + 45 * Math.Cos(x * fx2 - y * fy2 + p2);
            var b = (byte)Math.Clamp(v, 0, 255);
            bitmap.SetPixel(x, y, new SKColor(b, (byte)(255 - b), (byte)(b / 2 + 60)));
        }
        return bitmap;
    }

    private static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format = SKEncodedImageFormat.Png, int quality = 100)
    {
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(format, quality).ToArray();
    }

    [Fact]
    public void Identical_images_have_the_same_hash()
    {
        using var scene = Scene(1);
        Assert.Equal(ImageDecoder.DifferenceHash(Encode(scene)), ImageDecoder.DifferenceHash(Encode(scene)));
    }

    [Fact]
    public void Noised_resized_and_reencoded_copies_stay_within_distance_5()
    {
        using var scene = Scene(2);
        var original = ImageDecoder.DifferenceHash(Encode(scene));

        using var noised = scene.Copy();
        var random = new Random(7);
        for (var y = 0; y < noised.Height; y++)
        for (var x = 0; x < noised.Width; x++)
        {
            var c = noised.GetPixel(x, y);
            byte Jitter(byte v) => (byte)Math.Clamp(v + random.Next(-4, 5), 0, 255);
            noised.SetPixel(x, y, new SKColor(Jitter(c.Red), Jitter(c.Green), Jitter(c.Blue)));
        }
        using var resized = new SKBitmap(new SKImageInfo(64, 48, SKColorType.Rgba8888, SKAlphaType.Opaque));
        scene.ScalePixels(resized, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));

        Assert.InRange(PerceptualHash.Distance(original, ImageDecoder.DifferenceHash(Encode(noised))), 0, 5);
        Assert.InRange(PerceptualHash.Distance(original, ImageDecoder.DifferenceHash(Encode(resized))), 0, 5);
        Assert.InRange(PerceptualHash.Distance(original, ImageDecoder.DifferenceHash(Encode(scene, SKEncodedImageFormat.Jpeg, 80))), 0, 5);
    }

    [Fact]
    public void Different_images_are_far_apart()
    {
        using var a = Scene(3);
        using var b = Scene(4);
        Assert.True(PerceptualHash.Distance(ImageDecoder.DifferenceHash(Encode(a)), ImageDecoder.DifferenceHash(Encode(b))) > 12);
    }

    [Fact]
    public void Tiny_images_hash_without_error()
    {
        // 3 x 2 pixels: each of the hash's 9 columns of cells covers one pixel column (cells 0-2, 3-5, 6-8) and each of
        // its 8 rows one pixel row (rows 0-3, 4-7), so only the comparisons across pixel columns (bits 2 and 5 of each
        // row's byte) can be set. Top row dark, light, dark: only bit 5 (0x20); bottom row light, mid, dark: both (0x24).
        using var tiny = new SKBitmap(new SKImageInfo(3, 2, SKColorType.Rgba8888, SKAlphaType.Opaque));
        byte[][] grey = [[20, 220, 20], [220, 120, 20]];
        for (var y = 0; y < 2; y++)
        for (var x = 0; x < 3; x++)
            tiny.SetPixel(x, y, new SKColor(grey[y][x], grey[y][x], grey[y][x]));
        using var single = new SKBitmap(new SKImageInfo(1, 1, SKColorType.Rgba8888, SKAlphaType.Opaque));
        single.SetPixel(0, 0, SKColors.Orange);

        Assert.Equal(0x2424242420202020L, ImageDecoder.DifferenceHash(Encode(tiny)));
        Assert.Equal(0L, ImageDecoder.DifferenceHash(Encode(single))); // every cell is the same pixel: nothing is brighter
    }

    [Fact]
    public void Near_duplicate_groups_find_every_pair_within_the_distance_and_no_other()
    {
        var random = new Random(11);
        var hashes = Enumerable.Range(0, 3000).Select(_ => random.NextInt64()).ToList();
        hashes[10] = hashes[20] ^ 0b1111;                          // 4 bits apart: a near-duplicate
        hashes[30] = hashes[40] ^ (1L << 0 | 1L << 16 | 1L << 32 | 1L << 48); // 4 bits, one in each 16-bit band
        hashes[50] = hashes[60];                                    // identical
        hashes[70] = hashes[80] ^ 0b11111;                          // 5 bits apart: not within 4

        var groups = PerceptualHash.NearDuplicateGroups(hashes, maxDistance: 4);

        var brute = new List<(int, int)>();
        for (var i = 0; i < hashes.Count; i++)
        for (var j = i + 1; j < hashes.Count; j++)
            if (PerceptualHash.Distance(hashes[i], hashes[j]) <= 4) brute.Add((i, j));
        Assert.Equal([(10, 20), (30, 40), (50, 60)], brute);
        Assert.Equal([[10, 20], [30, 40], [50, 60]], groups);
    }
}
