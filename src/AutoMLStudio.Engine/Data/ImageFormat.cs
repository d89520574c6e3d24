namespace AutoMLStudio.Engine.Data;

/// <summary>The image encodings the studio reads; <see cref="ImageDecoder.Probe(byte[])"/> says which one bytes are in.</summary>
public enum ImageFormat { Png, Jpeg, Webp, Gif, Bmp }

/// <summary>The file extension and media type of each <see cref="ImageFormat"/>.</summary>
public static class ImageFormats
{
    /// <summary>The lower-case extension with its dot, such as <c>.png</c>.</summary>
    public static string Extension(this ImageFormat format) => format switch
    {
        ImageFormat.Png => ".png",
        ImageFormat.Jpeg => ".jpg",
        ImageFormat.Webp => ".webp",
        ImageFormat.Gif => ".gif",
        ImageFormat.Bmp => ".bmp",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>The media type, such as <c>image/png</c>.</summary>
    public static string ContentType(this ImageFormat format) => format switch
    {
        ImageFormat.Png => "image/png",
        ImageFormat.Jpeg => "image/jpeg",
        ImageFormat.Webp => "image/webp",
        ImageFormat.Gif => "image/gif",
        ImageFormat.Bmp => "image/bmp",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };
}
