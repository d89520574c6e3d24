using AutoMLStudio.Core.Storage;

namespace AutoMLStudio.Web.Api;

/// <summary>
/// Every item, thumbnail and low-confidence image leaves the studio as what its bytes decode to (<see cref="StoredImages"/>):
/// that image type, no sniffing, and a policy that gives a document made of it no script, style or origin, so a PNG with
/// a page appended cannot run in a signed-in browser. Disposition stays inline so previews and "open image in new tab"
/// still show the picture.
/// </summary>
public static class ImageResults
{
    public const string ContentSecurityPolicy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

    /// <summary>A stored file, streamed after its header was probed.</summary>
    public static IResult File(HttpResponse response, string path, Guid id)
    {
        var type = StoredImages.OfFile(path, id);
        Protect(response, id, type);
        return Results.File(path, type.ContentType);
    }

    /// <summary>Bytes held in memory, such as an input in an endpoint's low-confidence queue.</summary>
    public static IResult Bytes(HttpResponse response, byte[] bytes, Guid id)
    {
        var type = StoredImages.OfBytes(bytes, id);
        Protect(response, id, type);
        return Results.Bytes(bytes, type.ContentType);
    }

    private static void Protect(HttpResponse response, Guid id, StoredImageType type)
    {
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.ContentDisposition = $"inline; filename=\"{id:N}{type.Extension}\"";
    }
}
