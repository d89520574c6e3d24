using System.Runtime.InteropServices;
using SkiaSharp;

namespace AutoMLStudio.Engine.Data;

/// <summary>What an image header says, read without decoding pixels.</summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Channels">1 when the source is grayscale, 3 otherwise (alpha is ignored).</param>
/// <param name="Format">The encoding the decoder recognised in the bytes (never taken from a file name).</param>
public sealed record ImageProbe(int Width, int Height, int Channels, ImageFormat Format);

/// <summary>Decoding, resizing and thumbnails of PNG, JPEG, BMP, WebP and GIF images with SkiaSharp.</summary>
public static class ImageDecoder
{
    /// <summary>Smallest and largest model input side <see cref="ChooseInputSize"/> returns.</summary>
    public const int MinInputSize = 16, MaxInputSize = 64;

    /// <summary>Input size used when there are no images to measure.</summary>
    public const int DefaultInputSize = 32;

    private static readonly SKSamplingOptions HighQuality = new(SKCubicResampler.Mitchell);

    /// <summary>
    /// Reads only the header (no pixel decoding). Returns null when the bytes are not a decodable PNG, JPEG, BMP,
    /// WebP or GIF. A truncated file with an intact header still probes; <see cref="DecodeToChw"/> then rejects it.
    /// </summary>
    public static ImageProbe? Probe(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0) return null;
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        return Probe(codec);
    }

    /// <summary>
    /// As <see cref="Probe(byte[])"/>, reading a stream (a stored file) only as far as the header. The stream is
    /// disposed: the codec owns it.
    /// </summary>
    public static ImageProbe? Probe(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var codec = SKCodec.Create(stream);
        // Without a codec nothing took the stream over, so a file that is not an image would stay open.
        if (codec is null) stream.Dispose();
        return Probe(codec);
    }

    // Only the five formats the studio promises count: Skia also reads ICO, WBMP and camera RAW files, which no
    // browser should be told are one of ours.
    private static ImageProbe? Probe(SKCodec? codec)
    {
        if (codec is null) return null;
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0) return null;
        ImageFormat? format = codec.EncodedFormat switch
        {
            SKEncodedImageFormat.Png => ImageFormat.Png,
            SKEncodedImageFormat.Jpeg => ImageFormat.Jpeg,
            SKEncodedImageFormat.Webp => ImageFormat.Webp,
            SKEncodedImageFormat.Gif => ImageFormat.Gif,
            SKEncodedImageFormat.Bmp => ImageFormat.Bmp,
            _ => null,
        };
        if (format is null) return null;
        var channels = info.ColorType is SKColorType.Gray8 or SKColorType.Alpha8 ? 1 : 3;
        return new ImageProbe(info.Width, info.Height, channels, format.Value);
    }

    /// <summary>
    /// Decodes fully and resizes (Mitchell cubic, stretching to exactly <paramref name="size"/> x <paramref name="size"/>)
    /// into planar CHW floats in [0, 1], length <c>channels * size * size</c>. <paramref name="channels"/> 1 gives
    /// luminance (Rec. 601 weights), 3 gives RGB; alpha is dropped.
    /// </summary>
    /// <exception cref="InvalidDataException">The image is not decodable, corrupt or truncated.</exception>
    public static float[] DecodeToChw(byte[] bytes, int channels, int size)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "Channels must be 1 or 3.");
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);

        using var decoded = DecodeRgba(bytes);
        using var resized = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        if (!decoded.ScalePixels(resized, HighQuality))
            throw new InvalidDataException("The image could not be resized.");

        var rgba = resized.GetPixelSpan();
        var plane = size * size;
        var result = new float[channels * plane];
        var rowBytes = resized.RowBytes;
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var p = y * rowBytes + x * 4;
                var i = y * size + x;
                if (channels == 1)
                {
                    result[i] = (0.299f * rgba[p] + 0.587f * rgba[p + 1] + 0.114f * rgba[p + 2]) / 255f;
                }
                else
                {
                    result[i] = rgba[p] / 255f;
                    result[plane + i] = rgba[p + 1] / 255f;
                    result[2 * plane + i] = rgba[p + 2] / 255f;
                }
            }
        }
        return result;
    }

    /// <summary>
    /// A PNG whose longest side is <paramref name="maxSide"/>, aspect ratio kept. Images already smaller are not
    /// enlarged (a thumbnail never has more pixels than its source).
    /// </summary>
    /// <exception cref="InvalidDataException">The image is not decodable, corrupt or truncated.</exception>
    public static byte[] Thumbnail(byte[] bytes, int maxSide)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSide, 1);
        using var decoded = DecodeRgba(bytes);
        var scale = Math.Min(1.0, (double)maxSide / Math.Max(decoded.Width, decoded.Height));
        var width = Math.Max(1, (int)Math.Round(decoded.Width * scale));
        var height = Math.Max(1, (int)Math.Round(decoded.Height * scale));

        using var resized = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        if (!decoded.ScalePixels(resized, HighQuality))
            throw new InvalidDataException("The image could not be resized.");
        using var image = SKImage.FromBitmap(resized);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100)
                        ?? throw new InvalidDataException("The thumbnail could not be encoded as PNG.");
        return png.ToArray();
    }

    /// <summary>
    /// Model input side for a set of images: the median of each image's longest side, clamped to
    /// [<see cref="MinInputSize"/>, <see cref="MaxInputSize"/>] and rounded to the nearest multiple of 4.
    /// Returns <see cref="DefaultInputSize"/> when there are no sizes.
    /// </summary>
    public static int ChooseInputSize(IEnumerable<(int Width, int Height)> sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        var sides = sizes.Select(s => Math.Max(s.Width, s.Height)).Order().ToArray();
        if (sides.Length == 0) return DefaultInputSize;
        var mid = sides.Length / 2;
        var median = sides.Length % 2 == 1 ? sides[mid] : (sides[mid - 1] + sides[mid]) / 2.0;
        var clamped = Math.Clamp(median, MinInputSize, MaxInputSize);
        return (int)Math.Round(clamped / 4.0, MidpointRounding.AwayFromZero) * 4;
    }

    /// <summary>
    /// 64-bit difference hash (dHash) for finding near-duplicates: the image is reduced to 9 x 8 luminance cells
    /// (area averages, so resizing and re-encoding barely move them) and bit <c>8 * row + column</c> is set when a cell
    /// is brighter than its right neighbour. Copies that differ by re-encoding, resizing or a few pixels stay within a
    /// small Hamming distance (see <see cref="PerceptualHash.Distance"/>).
    /// </summary>
    /// <exception cref="InvalidDataException">The image is not decodable, corrupt or truncated.</exception>
    public static long DifferenceHash(byte[] bytes)
    {
        using var decoded = DecodeRgba(bytes);
        var width = decoded.Width;
        var height = decoded.Height;
        var rgba = decoded.GetPixelSpan();
        var rowBytes = decoded.RowBytes;

        const int columns = 9, rows = 8;
        var cells = new double[rows * columns];
        for (var cy = 0; cy < rows; cy++)
        {
            var (y0, y1) = CellRange(cy, rows, height);
            for (var cx = 0; cx < columns; cx++)
            {
                var (x0, x1) = CellRange(cx, columns, width);
                double sum = 0;
                for (var y = y0; y < y1; y++)
                for (var x = x0; x < x1; x++)
                {
                    var p = y * rowBytes + x * 4;
                    sum += 0.299 * rgba[p] + 0.587 * rgba[p + 1] + 0.114 * rgba[p + 2];
                }
                cells[cy * columns + cx] = sum / ((y1 - y0) * (x1 - x0));
            }
        }

        ulong hash = 0;
        for (var cy = 0; cy < rows; cy++)
        for (var cx = 0; cx < columns - 1; cx++)
            if (cells[cy * columns + cx] > cells[cy * columns + cx + 1])
                hash |= 1UL << (cy * 8 + cx);
        return (long)hash;
    }

    // Cell i of n over a side of length pixels; never empty, so images smaller than 9 x 8 still hash.
    private static (int Start, int End) CellRange(int i, int n, int length)
    {
        var start = Math.Min(length - 1, i * length / n);
        var end = Math.Max(start + 1, (i + 1) * length / n);
        return (start, end);
    }

    private static SKBitmap DecodeRgba(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0) throw new InvalidDataException("The image file is empty.");
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data)
                          ?? throw new InvalidDataException("The file is not a readable PNG, JPEG, BMP, WebP or GIF image.");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        try
        {
            var result = codec.GetPixels(info, bitmap.GetPixels());
            if (result != SKCodecResult.Success)
            {
                var why = result == SKCodecResult.IncompleteInput
                    ? "The image file is truncated (it ends before all pixels are stored)."
                    : $"The image is corrupt and could not be decoded ({result}).";
                throw new InvalidDataException(why);
            }
            return bitmap;
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
    }
}
