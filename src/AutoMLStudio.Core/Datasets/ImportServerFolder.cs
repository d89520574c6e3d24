using AutoMLStudio.Core.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Core.Datasets;

public sealed record ImportServerFolderRequest(string? Name, string? Path, string? UserId);

/// <summary>
/// Imports images from a folder on the server (admins only): subfolders are classes, images at the top are
/// unlabeled. The folder must lie inside one of <c>Studio:Import:ServerFolders</c>, reached without <c>..</c> and
/// without symbolic links; links inside it are skipped, never followed. The files are read by the import job.
/// </summary>
public sealed class ImportServerFolder(StudioDbContext db, IBackgroundJobs jobs, IOptions<StudioOptions> options, ILogger<ImportServerFolder> logger)
{
    public async Task<Dataset> HandleAsync(ImportServerFolderRequest request, CancellationToken ct)
    {
        var folder = Resolve(request.Path, options.Value.Import.ServerFolders);
        if (!Walk(folder).Any(f => f.Problem is null))
            throw new UserInputException("No images in the folder",
                $"The folder '{folder}' holds no images (PNG, JPEG, BMP, WebP or GIF). Put each class's images in a subfolder named after the class.");
        var name = string.IsNullOrWhiteSpace(request.Name) ? Path.GetFileName(folder) : request.Name.Trim();
        if (name.Length > 200) throw new UserInputException("Name too long", "A dataset name can have at most 200 characters.");

        var dataset = new Dataset
        {
            Name = name, Kind = DatasetKind.Image, Source = DatasetSources.ServerFolder, UploadFileName = folder, CreatedBy = request.UserId,
        };
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync(ct);
        dataset.JobId = jobs.EnqueueDatasetImport(dataset.Id);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Dataset {DatasetId} queued for import from server folder {Folder}", dataset.Id, folder);
        return dataset;
    }

    /// <summary>The folder's full path, or a 400 that says why it may not be imported.</summary>
    public static string Resolve(string? path, IReadOnlyList<string> roots)
    {
        if (roots.Count == 0)
            throw new UserInputException("Server folder import is off",
                "No server folders are allowed. An admin can list the folders that may be imported in Studio:Import:ServerFolders.", 403);
        if (string.IsNullOrWhiteSpace(path) || !Path.IsPathRooted(path))
            throw new UserInputException("Absolute path needed", "Give the folder's full path on the server, for example /srv/data/animals.");
        if (path.Split('/', '\\').Contains(".."))
            throw new UserInputException("Folder not allowed", "The path may not contain '..'. Give the folder's full path without it.");

        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        foreach (var root in roots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r))))
        {
            if (full != root && !full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue;
            if (!Directory.Exists(full))
                throw new UserInputException("Folder not found", $"There is no folder '{full}' on the server.", 404);
            // Every folder between the allowed root and the target must be a real folder: a link could lead anywhere.
            for (var current = full; current.Length > root.Length; current = Path.GetDirectoryName(current)!)
                if (new DirectoryInfo(current).LinkTarget is not null)
                    throw new UserInputException("Folder not allowed",
                        $"'{current}' is a symbolic link. Only real folders inside the allowed folders can be imported.");
            return full;
        }
        throw new UserInputException("Folder not allowed",
            $"'{full}' is not inside a folder that may be imported. Allowed: {string.Join(", ", roots)}.");
    }

    /// <summary>Every file below the folder, depth first in name order, with its label or the reason it is skipped.</summary>
    public static IEnumerable<(ImageCandidate Image, string? Problem)> Walk(string folder)
    {
        var pending = new Stack<(DirectoryInfo Dir, string Relative)>();
        pending.Push((new DirectoryInfo(folder), ""));
        while (pending.Count > 0)
        {
            var (dir, relative) = pending.Pop();
            foreach (var info in dir.EnumerateFileSystemInfos().OrderBy(i => i.Name, StringComparer.Ordinal))
            {
                var name = relative + info.Name;
                if (info.LinkTarget is not null)
                    yield return (new ImageCandidate(name, info.Name, null, 0, _ => null), "a symbolic link; links are not followed");
                else if (info is DirectoryInfo sub)
                    pending.Push((sub, name + "/"));
                else if (!ClassFolderZip.IsSystemClutter(name) && info is FileInfo file)
                {
                    var slash = name.IndexOf('/');
                    var label = slash > 0 ? name[..slash] : null;
                    var image = new ImageCandidate(name, info.Name, label, file.Length, max =>
                    {
                        using var stream = file.OpenRead();
                        return ClassFolderZip.ReadBounded(stream, file.Length, max);
                    });
                    yield return (image, ClassFolderZip.ImageExtensions.Contains(file.Extension) ? null : "not an image file (expected PNG, JPEG, BMP, WebP or GIF)");
                }
            }
        }
    }

    public static async Task RunAsync(ImportSink sink, IReadOnlyList<string> roots, CancellationToken ct)
    {
        var folder = Resolve(sink.Dataset.UploadFileName, roots); // the configuration may have changed since the request
        var candidates = Walk(folder).Take(sink.Limits.MaxEntries).ToList();
        await ImageZipImport.ImportAllAsync(sink, candidates, ct);
    }
}
