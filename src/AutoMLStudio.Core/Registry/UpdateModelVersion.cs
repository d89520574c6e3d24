using AutoMLStudio.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Registry;

public sealed record UpdateModelVersionRequest(Guid ModelId, int Version, string? Stage, string? IntendedUse, string? Notes);

/// <summary>
/// Moves a version between stages and edits what the team wrote on its card. A model has one production version:
/// promoting another archives the previous one. Only team leads and admins promote or archive.
/// </summary>
public sealed class UpdateModelVersion(StudioDbContext db)
{
    public const int MaxTextLength = 4000;

    public async Task<ModelVersion> HandleAsync(UpdateModelVersionRequest request, bool mayPromote, CancellationToken ct)
    {
        var model = await db.Models.Include(m => m.Versions).SingleOrDefaultAsync(m => m.Id == request.ModelId, ct)
                    ?? throw UserInputException.NotFound("Model", request.ModelId);
        var version = model.Versions.SingleOrDefault(v => v.Version == request.Version)
                      ?? throw new UserInputException("Version not found", $"Model '{model.Name}' has no version {request.Version}.", 404);

        if (request.Stage is { } stageText)
        {
            if (!Enum.TryParse<ModelStage>(stageText.Trim(), ignoreCase: true, out var stage) || !Enum.IsDefined(stage) || int.TryParse(stageText, out _))
                throw new UserInputException("Unknown stage", $"'{stageText}' is not a stage. Use none, staging, production or archived.");
            if (stage is ModelStage.Production or ModelStage.Archived && stage != version.Stage && !mayPromote)
                throw new UserInputException("Not allowed", "Only team leads and admins move a model to production or archive it.", 403);
            if (stage == ModelStage.Production)
                foreach (var other in model.Versions.Where(v => v.Stage == ModelStage.Production && v.Id != version.Id)) other.Stage = ModelStage.Archived;
            version.Stage = stage;
        }
        if (request.IntendedUse is not null || request.Notes is not null)
        {
            var card = ModelCard.FromJson(version.CardJson);
            version.CardJson = (card with
            {
                IntendedUse = Text(request.IntendedUse, card.IntendedUse, "intended use"),
                Notes = Text(request.Notes, card.Notes, "notes"),
            }).ToJson();
        }
        await db.SaveChangesAsync(ct);
        version.Model = model;
        return version;
    }

    private static string? Text(string? requested, string? current, string what)
    {
        if (requested is null) return current;
        var trimmed = requested.Trim();
        if (trimmed.Length > MaxTextLength)
            throw new UserInputException("Text too long", $"The {what} can have at most {MaxTextLength:N0} characters; this has {trimmed.Length:N0}.");
        return trimmed.Length == 0 ? null : trimmed;
    }
}
