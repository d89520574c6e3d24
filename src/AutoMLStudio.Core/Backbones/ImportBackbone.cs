using System.Security.Cryptography;
using AutoMLStudio.Core.Admin;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Engine.Backbones;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Backbones;

/// <summary>
/// An admin imports pretrained weights for a standard architecture. The file is written to a temporary name, checked
/// against the architecture (every tensor's name and shape; <see cref="BackboneWeights.Inspect"/>), and only then moved
/// into place: a file that does not fit is refused with every problem named and leaves the previous weights as they were.
/// </summary>
public sealed class ImportBackbone(StudioDbContext db, IArtifactStore store, RecordAdminAction audit, TimeProvider clock)
{
    public async Task<PretrainedBackbone> HandleAsync(string? architecture, string fileName, Stream content, string? userId, CancellationToken ct)
    {
        var name = architecture?.Trim().ToLowerInvariant();
        if (name is null || !BackboneArchitectures.All.Contains(name))
            throw new UserInputException("Unknown architecture",
                $"Say which architecture the weights are for: 'architecture' is one of {string.Join(", ", BackboneArchitectures.All)}.");
        var relative = $"backbones/{name}.dat";
        var target = store.FullPath(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var upload = $"{target}.{Guid.NewGuid():N}.upload";
        try
        {
            string sha256;
            await using (var file = File.Create(upload))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
                sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            }
            BackboneWeightsReport report;
            try
            {
                report = BackboneWeights.Inspect(name, upload);
            }
            catch (InvalidDataException e)
            {
                // The reader names the file it read: the temporary upload, which means nothing to the admin.
                throw new UserInputException("Not a weights file", e.Message.Replace(Path.GetFileName(upload), fileName, StringComparison.Ordinal));
            }
            if (!report.Fits)
                throw new UserInputException("Weights do not fit", report.Message.Replace(Path.GetFileName(upload), fileName, StringComparison.Ordinal));

            File.Move(upload, target, overwrite: true);
            var row = await db.PretrainedBackbones.SingleOrDefaultAsync(b => b.Architecture == name, ct);
            if (row is null) db.PretrainedBackbones.Add(row = new PretrainedBackbone { Architecture = name });
            (row.Path, row.FileName, row.Sha256, row.Parameters, row.HeadClasses, row.ImportedBy, row.ImportedAt) =
                (relative, fileName, sha256, report.Parameters, report.HeadClasses, userId, clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            await audit.HandleAsync(userId, AdminActions.BackboneImported, name, $"{fileName}: {report.Tensors} tensors, {report.Parameters:N0} parameters", ct);
            return row;
        }
        finally
        {
            File.Delete(upload);
        }
    }

    /// <summary>
    /// Removes the imported weights of <paramref name="architecture"/>: new searches stop proposing it, and a trial that
    /// has yet to start from them fails with the reason. Models already fine-tuned from them keep their own weights.
    /// </summary>
    public async Task RemoveAsync(string architecture, string? userId, CancellationToken ct)
    {
        architecture = architecture.Trim().ToLowerInvariant();
        var row = await db.PretrainedBackbones.SingleOrDefaultAsync(b => b.Architecture == architecture, ct)
                  ?? throw new UserInputException("Backbone not found", $"No weights are imported for '{architecture}'.", 404);
        db.PretrainedBackbones.Remove(row);
        await db.SaveChangesAsync(ct);
        File.Delete(store.FullPath(row.Path));
        await audit.HandleAsync(userId, AdminActions.BackboneRemoved, architecture, row.FileName, ct);
    }
}
