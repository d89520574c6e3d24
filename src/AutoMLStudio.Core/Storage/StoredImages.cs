using AutoMLStudio.Engine.Data;

namespace AutoMLStudio.Core.Storage;

/// <summary>The media type and extension a stored or queued image goes out with: the ones its bytes decode as.</summary>
public sealed record StoredImageType(string ContentType, string Extension);

/// <summary>
/// Says what a stored file or queued input is by decoding its header, never by a file name: a PNG with a page appended
/// stays a picture, and a file that does not decode as one of the five formats is not served at all.
/// </summary>
public static class StoredImages
{
    /// <summary>The type of the file at <paramref name="path"/>; a 404 problem when it is missing or not an image.</summary>
    public static StoredImageType OfFile(string path, Guid id)
    {
        ImageProbe? probe;
        try
        {
            probe = ImageDecoder.Probe(File.OpenRead(path));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw UserInputException.NotFound("Image", id);
        }
        return TypeOf(probe, id);
    }

    /// <summary>The type of <paramref name="bytes"/> held in memory, such as an input in a low-confidence queue.</summary>
    public static StoredImageType OfBytes(byte[] bytes, Guid id) => TypeOf(ImageDecoder.Probe(bytes), id);

    private static StoredImageType TypeOf(ImageProbe? probe, Guid id) =>
        probe?.Format is { } format
            ? new StoredImageType(format.ContentType(), format.Extension())
            : throw new UserInputException("Not an image",
                $"The file stored for {id} is not a readable PNG, JPEG, WebP, GIF or BMP image, so it is not served. " +
                "Remove the item and add the picture again.", 404);
}
