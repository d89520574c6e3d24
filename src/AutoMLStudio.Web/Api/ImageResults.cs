using AutoMLStudio.Core;
using AutoMLStudio.Engine.Data;

namespace AutoMLStudio.Web.Api;

/// <summary>
/// Every item, thumbnail and low-confidence image leaves the studio as what its bytes decode to: an image type from the
/// decoder (never from a stored or uploaded file name), no sniffing, and a policy that gives a document made of it no
/// script, style or origin, so a PNG with a page appended cannot run in a signed-in browser. Disposition stays inline
/// so previews and "open image in new tab" still show the picture. Anything that does not decode is not served.
/// </summary>
public static class ImageResults
{
    public const string ContentSecurityPolicy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

    /// <summary>A stored file, streamed after its header was probed.</summary>
    public static IResult File(HttpResponse response, string path, Guid id)
    {
        ImageProbe? probe;
        try
        {
            probe = ImageDecoder.Probe(System.IO.File.OpenRead(path));
        }
        catch (FileNotFoundException)
        {
            throw UserInputException.NotFound("Image", id);
        }
        catch (DirectoryNotFoundException)
        {
            throw UserInputException.NotFound("Image", id);
        }
        var format = probe?.Format ?? throw NotAnImage(id);
        Protect(response, id, format);
        return Results.File(path, format.ContentType());
    }

    /// <summary>Bytes held in memory, such as an input in an endpoint's low-confidence queue.</summary>
    public static IResult Bytes(HttpResponse response, byte[] bytes, Guid id)
    {
        var format = ImageDecoder.Probe(bytes)?.Format ?? throw NotAnImage(id);
        Protect(response, id, format);
        return Results.Bytes(bytes, format.ContentType());
    }

    private static void Protect(HttpResponse response, Guid id, ImageFormat format)
    {
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.ContentDisposition = $"inline; filename=\"{id:N}{format.Extension()}\"";
    }

    private static UserInputException NotAnImage(Guid id) =>
        new("Not an image", $"The file stored for {id} is not a readable PNG, JPEG, WebP, GIF or BMP image, so it is not served. " +
                            "Remove the item and add the picture again.", 404);
}
