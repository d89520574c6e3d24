using System.IO.Compression;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Core.Datasets;

public sealed record UploadDatasetRequest(string? Name, string FileName, Stream Content, string? UserId);

/// <summary>
/// Stores an upload, checks it is a zip of class folders within the limits, then creates the dataset row and queues
/// the import. Anything wrong that can be seen from the archive's directory is refused here, so no row is made.
/// </summary>
public sealed class UploadDataset(
    StudioDbContext db, IArtifactStore store, IBackgroundJobs jobs, IOptions<StudioOptions> options, ILogger<UploadDataset> logger)
{
    public async Task<Dataset> HandleAsync(UploadDatasetRequest request, CancellationToken ct)
    {
        var limits = options.Value.Import;
        var name = string.IsNullOrWhiteSpace(request.Name) ? Path.GetFileNameWithoutExtension(request.FileName) : request.Name.Trim();
        if (string.IsNullOrWhiteSpace(name))
            throw new UserInputException("Name missing", "Give the dataset a name.");
        if (name.Length > 200)
            throw new UserInputException("Name too long", "A dataset name can have at most 200 characters.");

        var dataset = new Dataset { Name = name, UploadFileName = Path.GetFileName(request.FileName), CreatedBy = request.UserId };
        var uploadPath = store.FullPath(ArtifactPaths.Upload(dataset.Id));
        try
        {
            await SaveUploadAsync(request.Content, uploadPath, limits.MaxUploadBytes, ct);
            CheckArchive(uploadPath, limits);

            db.Datasets.Add(dataset);
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            File.Delete(uploadPath);
            throw;
        }

        dataset.JobId = jobs.EnqueueDatasetImport(dataset.Id);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Dataset {DatasetId} uploaded as {FileName}, import queued", dataset.Id, dataset.UploadFileName);
        return dataset;
    }

    private static async Task SaveUploadAsync(Stream content, string path, long maxBytes, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var buffer = new byte[1 << 16];
        long total = 0;
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        int read;
        while ((read = await content.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
            if (total > maxBytes)
                throw new UserInputException("Upload too large",
                    $"The file is larger than the limit of {maxBytes / (1024 * 1024)} MB. Split it into smaller datasets or ask an admin to raise Studio:Import:MaxUploadBytes.",
                    413);
            await file.WriteAsync(buffer.AsMemory(0, read), ct);
        }
        if (total == 0)
            throw new UserInputException("Empty file", "The uploaded file is empty. Choose a zip that contains one folder per class.");
    }

    private static void CheckArchive(string path, ImportOptions limits)
    {
        using var stream = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        if (stream.Read(magic) < 4 || magic[0] != (byte)'P' || magic[1] != (byte)'K')
            throw new UserInputException("Not a zip file",
                "The file is not a zip archive. Put your images in one folder per class (for example cats/ and dogs/), zip those folders and upload the zip.");
        stream.Position = 0;

        ZipArchive zip;
        try { zip = new ZipArchive(stream, ZipArchiveMode.Read); }
        catch (InvalidDataException)
        {
            throw new UserInputException("Damaged zip file",
                "The zip archive could not be read: it is damaged or was cut off during upload. Create the zip again and upload it once more.");
        }

        using (zip)
        {
            var files = zip.Entries.Where(e => !e.FullName.EndsWith('/')).ToList();
            if (files.Count == 0)
                throw new UserInputException("Empty zip file",
                    "The zip archive contains no files. Put your images in one folder per class, zip the folders and upload again.");
            if (files.Count > limits.MaxEntries)
                throw new UserInputException("Too many files",
                    $"The zip holds {files.Count:N0} files; the limit is {limits.MaxEntries:N0}. Split it into smaller datasets.");
            if (files.Sum(e => e.Length) > limits.MaxUncompressedBytes)
                throw new UserInputException("Archive too large when unpacked",
                    $"The zip would unpack to more than {limits.MaxUncompressedBytes / (1024 * 1024)} MB. Split it into smaller datasets.");

            var entries = ClassFolderZip.Classify(zip, limits.MaxCompressionRatio);
            if (!entries.Any(e => e.Label is not null))
                throw new UserInputException("No class folders",
                    entries.Any(e => e.Problem == "not inside a class folder")
                        ? "The images in the zip are not inside folders. Put each class's images in a folder named after the class (for example cats/ and dogs/) and zip those folders."
                        : "The zip contains no images (PNG, JPEG, BMP, WebP or GIF) inside class folders. Put each class's images in a folder named after the class and zip those folders.");
        }
    }
}
