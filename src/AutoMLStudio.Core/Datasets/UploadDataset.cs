using System.IO.Compression;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Core.Datasets;

public sealed record UploadedFile(string FileName, Stream Content);

/// <summary>One file (a zip, a CSV or TSV, or an image) or several images; the columns apply to a CSV.</summary>
public sealed record UploadDatasetRequest(
    string? Name, IReadOnlyList<UploadedFile> Files, string? UserId, string? LabelColumn = null, string? TextColumn = null);

/// <summary>
/// Stores an upload, tells what it is (a zip of class folders, of loose images, of images with a labels CSV, of
/// text class folders; a table or text CSV; loose images) and checks it within the limits, then creates the dataset
/// row and queues the import. Anything wrong that can be seen cheaply (the archive's directory, the CSV's header)
/// is refused here, so no row is made. Several files are packed into one zip of loose images as they arrive.
/// </summary>
public sealed class UploadDataset(
    StudioDbContext db, IArtifactStore store, IBackgroundJobs jobs, IOptions<StudioOptions> options, ILogger<UploadDataset> logger)
{
    public async Task<Dataset> HandleAsync(UploadDatasetRequest request, CancellationToken ct)
    {
        var limits = options.Value.Import;
        if (request.Files.Count == 0)
            throw new UserInputException("File missing", "No file was attached. Send the zip, CSV or images in form fields named 'file'.");
        var first = request.Files[0];
        var name = string.IsNullOrWhiteSpace(request.Name) ? Path.GetFileNameWithoutExtension(first.FileName) : request.Name.Trim();
        if (string.IsNullOrWhiteSpace(name))
            throw new UserInputException("Name missing", "Give the dataset a name.");
        if (name.Length > 200)
            throw new UserInputException("Name too long", "A dataset name can have at most 200 characters.");

        var dataset = new Dataset { Name = name, UploadFileName = Path.GetFileName(first.FileName), CreatedBy = request.UserId };
        var uploadPath = store.FullPath(ArtifactPaths.Upload(dataset.Id));
        try
        {
            if (request.Files.Count > 1 || IsImage(first.FileName))
            {
                var notImages = request.Files.Where(f => !IsImage(f.FileName)).Select(f => f.FileName).ToList();
                if (notImages.Count > 0)
                    throw new UserInputException("Not all files are images",
                        $"Several files can be uploaded only when all are images (PNG, JPEG, BMP, WebP or GIF); these are not: {string.Join(", ", notImages.Take(10))}. Upload a zip or a CSV on its own.");
                await ImageZipImport.PackAsync(request.Files.Select(f => (f.FileName, f.Content)).ToList(), uploadPath, limits.MaxUploadBytes, ct);
                (dataset.Kind, dataset.Source) = (DatasetKind.Image, DatasetSources.LooseImages);
                dataset.UploadFileName = request.Files.Count > 1 ? $"{request.Files.Count} images" : dataset.UploadFileName;
            }
            else
            {
                await SaveUploadAsync(first.Content, uploadPath, limits.MaxUploadBytes, ct);
                if (IsZip(uploadPath)) CheckArchive(uploadPath, limits, dataset);
                else if (IsCsv(first.FileName)) CheckCsv(uploadPath, limits, dataset, request.LabelColumn, request.TextColumn);
                else
                    throw new UserInputException("Not a zip file",
                        "The file is not a zip archive, a CSV table or an image. Upload a zip with one folder per class (for example cats/ and dogs/), a zip of images, a CSV or TSV whose first line names the columns, or image files.");
            }

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
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        var total = await CopyWithinLimitAsync(content, file, 0, maxBytes, "The file is", ct);
        if (total == 0)
            throw new UserInputException("Empty file", "The uploaded file is empty. Choose a zip that contains one folder per class, or a CSV.");
    }

    /// <summary>
    /// Copies an upload, counting from <paramref name="written"/> bytes already taken, and refuses with 413 past
    /// <paramref name="maxBytes"/> (<paramref name="what"/> starts the message). Returns the new total.
    /// </summary>
    public static async Task<long> CopyWithinLimitAsync(Stream content, Stream output, long written, long maxBytes, string what, CancellationToken ct)
    {
        var buffer = new byte[1 << 16];
        int read;
        while ((read = await content.ReadAsync(buffer, ct)) > 0)
        {
            written += read;
            if (written > maxBytes)
                throw new UserInputException("Upload too large",
                    $"{what} larger than the limit of {maxBytes / (1024 * 1024)} MB. Split it into smaller datasets or ask an admin to raise Studio:Import:MaxUploadBytes.",
                    413);
            await output.WriteAsync(buffer.AsMemory(0, read), ct);
        }
        return written;
    }

    private static bool IsImage(string fileName) => ClassFolderZip.ImageExtensions.Contains(Path.GetExtension(fileName));

    private static bool IsCsv(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() is ".csv" or ".tsv" or ".tab";

    private static bool IsZip(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        return stream.Read(magic) == 4 && magic[0] == (byte)'P' && magic[1] == (byte)'K';
    }

    /// <summary>
    /// A table unless a text column is named (or the file has just a "text" column and one other). The label
    /// column is the one named, else one called label/target/class, else (for a table) the last column.
    /// </summary>
    private static void CheckCsv(string path, ImportOptions limits, Dataset dataset, string? labelColumn, string? textColumn)
    {
        var names = CsvHeader.Read(() => File.OpenRead(path), limits.MaxFieldBytes);
        var label = string.IsNullOrWhiteSpace(labelColumn) ? null : CsvHeader.Match(names, labelColumn, "Label");
        var isText = !string.IsNullOrWhiteSpace(textColumn)
                     || (names.Count == 2 && names.Any(n => n.Equals("text", StringComparison.OrdinalIgnoreCase)));
        if (isText)
        {
            var text = CsvHeader.Match(names, string.IsNullOrWhiteSpace(textColumn) ? "text" : textColumn, "Text");
            label ??= CsvHeader.GuessLabel(names) ?? (names.Count == 2 ? names.Single(n => n != text) : null);
            if (label == text)
                throw new UserInputException("Label column is the text column", "The label column and the text column must be different columns.");
            (dataset.Kind, dataset.Source, dataset.TextColumn, dataset.LabelColumn) = (DatasetKind.Text, DatasetSources.TextCsv, text, label);
            return;
        }
        if (names.Count < 2)
            throw new UserInputException("Only one column",
                $"The CSV's header has one column ('{names[0]}'). A table needs a label column and at least one more; check that the columns are separated by commas, semicolons or tabs.");
        (dataset.Kind, dataset.Source, dataset.LabelColumn) = (DatasetKind.Tabular, DatasetSources.Csv, label ?? CsvHeader.GuessLabel(names) ?? names[^1]);
    }

    private static void CheckArchive(string path, ImportOptions limits, Dataset dataset)
    {
        using var stream = File.OpenRead(path);

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

            var images = ClassFolderZip.Classify(zip, limits.MaxCompressionRatio, ZipContent.LooseImages).Count(e => e.Problem is null);
            var csv = LabelsCsvImport.FindCsv(zip);
            if (csv is not null && images > 0)
            {
                CheckLabelsCsv(csv, limits);
                (dataset.Kind, dataset.Source) = (DatasetKind.Image, DatasetSources.LabelsCsv);
            }
            else if (ClassFolderZip.Classify(zip, limits.MaxCompressionRatio).Any(e => e.Label is not null))
                (dataset.Kind, dataset.Source) = (DatasetKind.Image, DatasetSources.ClassFolders);
            else if (images > 0)
                (dataset.Kind, dataset.Source) = (DatasetKind.Image, DatasetSources.LooseImages);
            else if (ClassFolderZip.Classify(zip, limits.MaxCompressionRatio, ZipContent.TextInClassFolders).Any(e => e.Label is not null))
                (dataset.Kind, dataset.Source) = (DatasetKind.Text, DatasetSources.TextFolders);
            else
                throw new UserInputException("Nothing to import",
                    "The zip contains no images (PNG, JPEG, BMP, WebP or GIF) and no class folders of .txt files. Put each class's images or texts in a folder named after the class and zip those folders.");
        }
    }

    private static void CheckLabelsCsv(ZipArchiveEntry csv, ImportOptions limits)
    {
        List<string> header;
        using (var reader = CsvReader.Open(csv.Open, limits.MaxFieldBytes, encodingProbeBytes: 1 << 20))
        {
            var first = reader.Read();
            header = first is { Problem: null } ? first.Fields.ToList() : [];
        }
        if (LabelsCsvImport.FindColumns(header) is null)
            throw new UserInputException("Labels CSV without path and label columns",
                $"'{csv.FullName}' must have a header with a 'path' column (image paths relative to the zip's root) and a 'label' column. Its columns are: {string.Join(", ", header)}.");
    }
}
