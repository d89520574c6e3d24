using AutoMLStudio.Core.Data;
using AutoMLStudio.Engine.Backbones;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Backbones;

/// <summary>Imported pretrained weights of one architecture, with the file's hash and its head's class count.</summary>
public sealed record BackboneView(string Architecture, string DisplayName, string FileName, string Sha256, long Parameters, int? HeadClasses,
    string? ImportedBy, DateTimeOffset ImportedAt)
{
    public static BackboneView From(PretrainedBackbone b) => new(b.Architecture, BackboneArchitectures.DisplayName(b.Architecture), b.FileName,
        b.Sha256, b.Parameters, b.HeadClasses, b.ImportedBy, b.ImportedAt);
}

public sealed class BackboneQueries(StudioDbContext db)
{
    /// <summary>The standard architectures weights can be imported for.</summary>
    public static IReadOnlyList<string> Architectures => BackboneArchitectures.All;

    /// <summary>Imported weights, by architecture.</summary>
    public async Task<List<BackboneView>> ListAsync(CancellationToken ct) =>
        (await db.PretrainedBackbones.AsNoTracking().OrderBy(b => b.Architecture).ToListAsync(ct)).Select(BackboneView.From).ToList();
}
