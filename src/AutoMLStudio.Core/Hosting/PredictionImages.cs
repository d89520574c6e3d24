using AutoMLStudio.Engine.Data;

namespace AutoMLStudio.Core.Hosting;

/// <summary>
/// The one way a prediction reads an image, for the REST predict route and the endpoint page's Try it alike: the header
/// is checked against <see cref="MaxPixels"/> before any pixel is decoded, because a file of a few kilobytes can declare
/// a bitmap of hundreds of megabytes. Every refusal is a <see cref="UserInputException"/> that names the file.
/// </summary>
public static class PredictionImages
{
    /// <summary>Largest image, in pixels, decoded for a prediction.</summary>
    public const long MaxPixels = 40_000_000;

    /// <summary>The image's header, or a 415 (not an image) or 413 (too many pixels) problem.</summary>
    public static ImageProbe Check(byte[] bytes, string name)
    {
        var probe = ImageDecoder.Probe(bytes) ?? throw NotAnImage(name, "the content is not PNG, JPEG, BMP, WebP or GIF");
        if ((long)probe.Width * probe.Height > MaxPixels)
            throw new UserInputException("Image too large",
                $"'{name}' declares {probe.Width}×{probe.Height} pixels, more than the {MaxPixels:N0} a prediction decodes. Send a smaller image.", 413);
        return probe;
    }

    /// <summary>Pixels for the model, after <see cref="Check"/>.</summary>
    public static float[] DecodeToChw(byte[] bytes, string name, int channels, int size)
    {
        Check(bytes, name);
        return Decode(name, () => ImageDecoder.DecodeToChw(bytes, channels, size));
    }

    /// <summary>A PNG thumbnail for showing the image back, after <see cref="Check"/>.</summary>
    public static byte[] Thumbnail(byte[] bytes, string name, int maxSide)
    {
        Check(bytes, name);
        return Decode(name, () => ImageDecoder.Thumbnail(bytes, maxSide));
    }

    private static T Decode<T>(string name, Func<T> decode)
    {
        try
        {
            return decode();
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            throw NotAnImage(name, e.Message);
        }
    }

    private static UserInputException NotAnImage(string name, string why) =>
        new("Not an image", $"'{name}' could not be read as an image ({why}). Send PNG, JPEG, BMP, WebP or GIF files.", 415);
}
