using System.Security.Claims;
using AutoMLStudio.Core.Backbones;
using AutoMLStudio.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace AutoMLStudio.Web.Api;

/// <summary>Imported pretrained weights per architecture, with the file's hash and its head's class count.</summary>
public sealed record BackboneDto(string Architecture, string FileName, string Sha256, long Parameters, int? HeadClasses, string? ImportedBy,
    DateTimeOffset ImportedAt)
{
    public static BackboneDto From(BackboneView b) => new(b.Architecture, b.FileName, b.Sha256, b.Parameters, b.HeadClasses, b.ImportedBy, b.ImportedAt);
}

public static class BackbonesApi
{
    /// <summary>ResNet-18's weights are about 47 MB; room for larger standard files without opening the door to anything.</summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    public static void MapBackbonesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/backbones").WithTags("Backbones");
        group.MapGet("/", async (BackboneQueries backbones, CancellationToken ct) => Results.Ok((await backbones.ListAsync(ct)).Select(BackboneDto.From).ToList()))
            .WithSummary("Pretrained weights imported for the standard architectures (resnet18, mobilenet_v2)").Produces<List<BackboneDto>>();
        group.MapPost("/", ImportAsync).RequireAuthorization(StudioPolicies.Admin)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBytes))
            .WithSummary("Import pretrained weights: multipart 'file' (a state dict in TorchSharp's format, e.g. from exportsd.py) and 'architecture'")
            .WithDescription("Every tensor's name and shape is checked against the architecture before the file is kept; a file that does not fit is "
                + "refused with every missing, unexpected or differently shaped tensor named (and a hint when it looks like another architecture or "
                + "carries DataParallel's 'module.' prefix). The head (fc, classifier.1) may have any class count: models replace it. A new import "
                + "replaces the architecture's previous weights. docs/pretrained-backbones.md shows how to convert torchvision's weights. Admins only.")
            .Produces<BackboneDto>(StatusCodes.Status201Created).ProducesProblem(400).ProducesProblem(413);
        group.MapDelete("/{architecture}", async (string architecture, ImportBackbone import, ClaimsPrincipal user, CancellationToken ct) =>
            {
                await import.RemoveAsync(architecture, user.FindFirstValue(ClaimTypes.NameIdentifier), ct);
                return Results.NoContent();
            })
            .RequireAuthorization(StudioPolicies.Admin)
            .WithSummary("Remove an architecture's imported weights")
            .WithDescription("New searches stop proposing it; a trial not yet started from it fails with the reason. Models already fine-tuned "
                + "from it keep their own weights. Admins only; audited.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(404);
    }

    private static async Task<IResult> ImportAsync(HttpRequest request, ImportBackbone import, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!request.HasFormContentType)
            throw new Core.UserInputException("File missing", "Send the weights as multipart/form-data with a 'file' and an 'architecture'.");
        var form = await request.ReadFormAsync(ct);
        var file = form.Files.GetFile("file") ?? throw new Core.UserInputException("File missing", "Attach the weights file as the form field 'file'.");
        await using var stream = file.OpenReadStream();
        var backbone = await import.HandleAsync(form["architecture"].FirstOrDefault(), Path.GetFileName(file.FileName), stream,
            user.FindFirstValue(ClaimTypes.NameIdentifier), ct);
        return Results.Created($"/api/v1/backbones", BackboneDto.From(BackboneView.From(backbone)));
    }
}
