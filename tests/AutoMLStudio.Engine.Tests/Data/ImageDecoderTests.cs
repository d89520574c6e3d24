using AutoMLStudio.Engine.Data;
using SkiaSharp;

namespace AutoMLStudio.Engine.Tests.Data;

public sealed class ImageDecoderTests
{
    // Left half red, right half blue, so a decode keeps orientation and channel order checkable.
    private static byte[] Encode(SKEncodedImageFormat format, int width = 40, int height = 30, SKColorType colorType = SKColorType.Rgba8888)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, colorType, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Blue);
            using var paint = new SKPaint { Color = SKColors.Red };
            canvas.DrawRect(0, 0, width / 2f, height, paint);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 95);
        return data.ToArray();
    }

    // Skia has no BMP encoder: a 24-bit bottom-up BMP written by hand, all pixels one colour.
    private static byte[] Bmp(int width, int height, byte r, byte g, byte b)
    {
        var rowBytes = (width * 3 + 3) & ~3;
        var size = 54 + rowBytes * height;
        var bytes = new byte[size];
        void U32(int at, int v) => BitConverter.GetBytes(v).CopyTo(bytes, at);
        bytes[0] = (byte)'B';
        bytes[1] = (byte)'M';
        U32(2, size);
        U32(10, 54);
        U32(14, 40);
        U32(18, width);
        U32(22, height);
        bytes[26] = 1;
        bytes[28] = 24;
        U32(34, rowBytes * height);
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var p = 54 + y * rowBytes + x * 3;
            bytes[p] = b;
            bytes[p + 1] = g;
            bytes[p + 2] = r;
        }
        return bytes;
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Png, ImageFormat.Png)]
    [InlineData(SKEncodedImageFormat.Jpeg, ImageFormat.Jpeg)]
    [InlineData(SKEncodedImageFormat.Webp, ImageFormat.Webp)]
    public void Probe_reads_size_and_format_of_colour_images(SKEncodedImageFormat format, ImageFormat expected)
    {
        var probe = ImageDecoder.Probe(Encode(format));

        Assert.Equal(new ImageProbe(40, 30, 3, expected), probe);
    }

    [Fact]
    public void Probe_names_the_format_in_the_bytes_whatever_follows_them_and_refuses_formats_the_studio_does_not_serve()
    {
        byte[] polyglot = [.. Encode(SKEncodedImageFormat.Png), .. "<html><script>alert(1)</script></html>"u8.ToArray()];
        var png = Encode(SKEncodedImageFormat.Png);
        // An icon holding that PNG: Skia reads it, but no browser should be told it is one of the five formats.
        byte[] icon = [0, 0, 1, 0, 1, 0, 40, 30, 0, 0, 1, 0, 32, 0, .. BitConverter.GetBytes(png.Length), 22, 0, 0, 0, .. png];
        using (var codec = SKCodec.Create(SKData.CreateCopy(icon))) Assert.Equal(SKEncodedImageFormat.Ico, codec?.EncodedFormat);

        Assert.Equal(ImageFormat.Png, ImageDecoder.Probe(polyglot)!.Format);
        Assert.Equal(ImageFormat.Png, ImageDecoder.Probe(new MemoryStream(polyglot))!.Format);
        Assert.Equal(ImageFormat.Bmp, ImageDecoder.Probe(new MemoryStream(Bmp(3, 2, 1, 2, 3)))!.Format);
        Assert.Null(ImageDecoder.Probe(icon));
        Assert.Null(ImageDecoder.Probe(new MemoryStream("<html></html>"u8.ToArray())));
    }

    [Fact]
    public void Probe_reads_size_of_a_bmp()
    {
        Assert.Equal(new ImageProbe(7, 5, 3, ImageFormat.Bmp), ImageDecoder.Probe(Bmp(7, 5, 10, 200, 30)));
    }

    [Fact]
    public void Probe_reports_one_channel_for_a_grayscale_png()
    {
        var probe = ImageDecoder.Probe(Encode(SKEncodedImageFormat.Png, 12, 9, SKColorType.Gray8));

        Assert.Equal(new ImageProbe(12, 9, 1, ImageFormat.Png), probe);
    }

    [Fact]
    public void Probe_returns_null_for_bytes_that_are_not_an_image()
    {
        Assert.Null(ImageDecoder.Probe("definitely not an image"u8.ToArray()));
        Assert.Null(ImageDecoder.Probe([]));
    }

    [Fact]
    public void DecodeToChw_gives_planar_rgb_in_unit_range_at_the_requested_size()
    {
        var chw = ImageDecoder.DecodeToChw(Encode(SKEncodedImageFormat.Png), channels: 3, size: 16);

        Assert.Equal(3 * 16 * 16, chw.Length);
        Assert.All(chw, v => Assert.InRange(v, 0f, 1f));
        const int plane = 16 * 16;
        var leftMiddle = 8 * 16 + 2;
        var rightMiddle = 8 * 16 + 13;
        Assert.True(chw[leftMiddle] > 0.9f && chw[2 * plane + leftMiddle] < 0.1f, "left half should be red");
        Assert.True(chw[rightMiddle] < 0.1f && chw[2 * plane + rightMiddle] > 0.9f, "right half should be blue");
    }

    [Fact]
    public void DecodeToChw_with_one_channel_gives_luminance()
    {
        var chw = ImageDecoder.DecodeToChw(Bmp(8, 8, 255, 255, 255), channels: 1, size: 4);

        Assert.Equal(16, chw.Length);
        Assert.All(chw, v => Assert.Equal(1f, v, 3));
    }

    [Fact]
    public void DecodeToChw_throws_InvalidDataException_for_corrupt_bytes()
    {
        var error = Assert.Throws<InvalidDataException>(() => ImageDecoder.DecodeToChw([1, 2, 3, 4, 5], 3, 16));
        Assert.Contains("not a readable", error.Message);
    }

    [Fact]
    public void DecodeToChw_throws_InvalidDataException_for_a_truncated_png()
    {
        var png = Encode(SKEncodedImageFormat.Png, 64, 64);
        var truncated = png[..(png.Length / 2)];

        Assert.Throws<InvalidDataException>(() => ImageDecoder.DecodeToChw(truncated, 3, 16));
    }

    [Fact]
    public void Thumbnail_is_a_png_with_the_longest_side_scaled_and_aspect_kept()
    {
        var thumbnail = ImageDecoder.Thumbnail(Encode(SKEncodedImageFormat.Jpeg, 200, 100), maxSide: 50);

        Assert.Equal(new ImageProbe(50, 25, 3, ImageFormat.Png), ImageDecoder.Probe(thumbnail));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], thumbnail[..4]);
    }

    [Fact]
    public void Thumbnail_throws_InvalidDataException_for_corrupt_bytes()
    {
        Assert.Throws<InvalidDataException>(() => ImageDecoder.Thumbnail("nope"u8.ToArray(), 64));
    }

    [Theory]
    [InlineData(new[] { 28, 28, 28 }, 28)]
    [InlineData(new[] { 10, 12, 8 }, 16)]
    [InlineData(new[] { 500, 640, 300 }, 64)]
    [InlineData(new[] { 30, 33, 35 }, 32)]
    [InlineData(new[] { 20, 22 }, 20)]
    public void ChooseInputSize_takes_the_median_longest_side_clamped_and_rounded_to_four(int[] sides, int expected)
    {
        var sizes = sides.Select((side, i) => i % 2 == 0 ? (side, side / 2) : (side / 2, side));

        Assert.Equal(expected, ImageDecoder.ChooseInputSize(sizes));
    }
}
