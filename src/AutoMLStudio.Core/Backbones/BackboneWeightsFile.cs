using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Engine.Backbones;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Backbones;

/// <summary>Where a search finds the pretrained weights an admin imported, and which architectures have them.</summary>
public static class BackboneWeightsFile
{
    /// <summary>Architectures with imported weights, cheapest first at <paramref name="inputSize"/>, so that a search tries the quick one first.</summary>
    public static async Task<IReadOnlyList<string>> AvailableAsync(StudioDbContext db, int inputChannels, int inputSize, CancellationToken ct)
    {
        var imported = await db.PretrainedBackbones.AsNoTracking().Select(b => b.Architecture).ToListAsync(ct);
        return [.. imported.Where(BackboneArchitectures.All.Contains)
            .OrderBy(a => BackboneCost.CountFlops(new BackboneSpec(a, inputChannels, inputSize, 2))).ThenBy(a => a, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The imported file for <paramref name="architecture"/>, whose hash must still be the one recorded at import: only
    /// files an admin imported and the studio checked are loaded.
    /// </summary>
    /// <exception cref="UserInputException">No weights are imported for it any more, or the file changed since.</exception>
    public static async Task<string> PathAsync(StudioDbContext db, IArtifactStore store, string architecture, CancellationToken ct)
    {
        var row = await db.PretrainedBackbones.AsNoTracking().SingleOrDefaultAsync(b => b.Architecture == architecture, ct)
                  ?? throw new UserInputException("Pretrained weights missing",
                      $"No {BackboneArchitectures.DisplayName(architecture)} weights are imported any more; an admin can import them again on the Admin page.", 409);
        var path = store.FullPath(row.Path);
        if (!File.Exists(path) || !string.Equals(RegisterModel.Sha256(await File.ReadAllBytesAsync(path, ct)), row.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new UserInputException("Pretrained weights changed",
                $"The imported {BackboneArchitectures.DisplayName(architecture)} weights are missing or not the file that was imported, so they are not used. Import them again.", 409);
        return path;
    }
}
