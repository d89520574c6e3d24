using System.Text.Json;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Engine.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Datasets;

/// <summary>What the quality report needs of one item.</summary>
public sealed record QualityRow(
    Guid Id, string Name, string? Label, string ContentHash, long? PerceptualHash, int Width, int Height, int Channels, string? ValuesJson);

/// <summary>
/// Computes a dataset's quality report from its rows: class balance, duplicates (content hash) and near-duplicates
/// (perceptual hash within <see cref="NearDuplicateDistance"/> bits), skipped files, image shape histograms, and for
/// tabular data missing values, constant columns and label leakage. Reading and computing only; the job stores it.
/// </summary>
public sealed class ComputeQuality(StudioDbContext db, TimeProvider clock)
{
    public const int NearDuplicateDistance = 4;
    public const double LeakageAccuracy = 0.98;
    private const int MaxListedMembers = 50;

    public async Task<QualityReport> HandleAsync(Guid datasetId, CancellationToken ct)
    {
        var readAt = clock.GetUtcNow(); // the report describes the rows as of this moment
        var dataset = await db.Datasets.AsNoTracking().SingleOrDefaultAsync(d => d.Id == datasetId, ct)
                      ?? throw UserInputException.NotFound("Dataset", datasetId);
        var rows = await db.DatasetItems.AsNoTracking().Where(i => i.DatasetId == datasetId)
            .OrderBy(i => i.SourceIndex).ThenBy(i => i.OriginalName).ThenBy(i => i.Id)
            .Select(i => new QualityRow(i.Id, i.OriginalName, i.Label, i.ContentHash, i.PerceptualHash, i.Width, i.Height, i.Channels, i.ValuesJson))
            .ToListAsync(ct);
        var issues = dataset.ImportIssues;
        return Build(dataset.Kind, rows, issues, readAt, regression: dataset.Task == DatasetTasks.Regression, skipped: dataset.SkippedTotal(issues));
    }

    /// <param name="skipped">Skipped files or rows in all, when the import listed only the first of them.</param>
    public static QualityReport Build(DatasetKind kind, IReadOnlyList<QualityRow> rows, IReadOnlyList<ImportIssue> issues, DateTimeOffset now,
        bool regression = false, int? skipped = null)
    {
        // A regression target is a number per row, not a class: class counts, imbalance and small classes mean nothing there.
        var counts = regression
            ? []
            : rows.Where(r => r.Label is not null).GroupBy(r => r.Label!)
                .Select(g => (g.Key, g.Count())).OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
        var report = Basic(counts, issues, ready: !regression, rows.Count, now, skipped) with { LabeledCount = rows.Count(r => r.Label is not null) };
        var warnings = report.Warnings.ToList();

        var unlabeled = rows.Count(r => r.Label is null);
        if (unlabeled > 0)
            warnings.Add(new("unlabeled_items", QualitySeverity.Info, $"{unlabeled} of {rows.Count} items have no label, so training does not use them.",
                "Label them on the labeling page, or leave them out on purpose."));

        var exact = Duplicates(rows.Select((r, i) => (r, i)).GroupBy(x => x.r.ContentHash)
            .Where(g => g.Count() > 1).Select(g => g.Select(x => x.i).ToArray()).ToList(), rows);
        if (exact.Groups > 0)
            warnings.Add(new("exact_duplicates", QualitySeverity.Warning,
                $"{exact.Groups} group(s) of identical items ({exact.Items} items in all). Copies can land in both training and test and make the test score look better than the model is.",
                "Remove the extra copies and keep one of each."));
        if (exact.ConflictingGroups > 0)
            warnings.Add(new("duplicate_label_conflict", QualitySeverity.Error,
                $"{exact.ConflictingGroups} group(s) of identical items carry different labels, so the model is taught two answers for the same input.",
                "Open each conflicting group, decide the correct label and give it to every copy (or remove the wrong copies)."));

        var near = NearDuplicates(rows);
        if (near.Groups > 0)
            warnings.Add(new("near_duplicates", QualitySeverity.Warning,
                $"{near.Groups} group(s) of nearly identical images ({near.Items} images): re-encoded, resized or slightly edited copies of one picture.",
                "Check the groups and keep one image of each unless they really show different things."));
        if (near.ConflictingGroups > 0)
            warnings.Add(new("near_duplicate_label_conflict", QualitySeverity.Error,
                $"{near.ConflictingGroups} group(s) of nearly identical images carry different labels.",
                "Open each group, decide the correct label and give it to every copy (or remove the wrong ones)."));

        var images = kind == DatasetKind.Image ? ImageHistograms(rows, warnings) : null;
        var tabular = kind == DatasetKind.Tabular ? TabularChecks(rows, warnings) : null;

        return report with
        {
            ExactDuplicates = exact,
            NearDuplicates = near,
            Images = images,
            Tabular = tabular,
            Warnings = warnings.OrderBy(w => w.Severity switch { QualitySeverity.Error => 0, QualitySeverity.Warning => 1, _ => 2 }).ToList(),
        };
    }

    /// <summary>The part of the report that needs only class counts and the import's skipped files.</summary>
    public static QualityReport Basic(IReadOnlyList<(string Name, int Count)> classes, IReadOnlyList<ImportIssue> issues, bool ready, int itemCount,
        DateTimeOffset now, int? skipped = null)
    {
        var skippedTotal = Math.Max(skipped ?? 0, issues.Count);
        var warnings = new List<QualityWarning>();
        double? imbalance = null;
        if (classes.Count >= 2)
        {
            var largest = classes.MaxBy(c => c.Count);
            var smallest = classes.MinBy(c => c.Count);
            imbalance = largest.Count / (double)Math.Max(1, smallest.Count);
            if (imbalance > QualityReport.ImbalanceWarnAbove)
                warnings.Add(new("imbalance", QualitySeverity.Warning,
                    $"The largest class ('{largest.Name}', {largest.Count}) has {imbalance:0.#}× the items of the smallest ('{smallest.Name}', {smallest.Count}).",
                    "Add items to the small classes, or expect the model to favour the large ones."));
        }
        if (ready && classes.Count < 2)
            warnings.Add(new("too_few_classes", QualitySeverity.Error,
                $"Training needs labeled items of at least two classes; this dataset has {classes.Count}.",
                "Add another class folder or label more items."));
        foreach (var (name, count) in classes.Where(c => c.Count < QualityReport.MinItemsPerClass))
            warnings.Add(new("class_too_small", QualitySeverity.Error,
                $"Class '{name}' has {count} labeled item(s): too few to split into training, validation and test (each needs at least one).",
                $"Label at least {QualityReport.MinItemsPerClass} items of '{name}' (20 or more works better), or remove the class."));
        if (skippedTotal > 0)
            warnings.Add(new("skipped_files", QualitySeverity.Warning,
                $"{skippedTotal:N0} file(s) were skipped during import because they were corrupt, unreadable or over a limit.",
                "See the skipped list for why each one was left out; fix or replace those files and import again if you need them."));

        var empty = new DuplicateSection(0, 0, 0, []);
        return new QualityReport(now, itemCount, classes.Sum(c => c.Count),
            classes.Select(c => new ClassQuality(c.Name, c.Count, c.Count < QualityReport.MinItemsPerClass)).ToList(), imbalance,
            skippedTotal, issues.Take(100).ToList(), empty, empty, null, null, warnings);
    }

    private static DuplicateSection NearDuplicates(IReadOnlyList<QualityRow> rows)
    {
        var hashed = rows.Where(r => r.PerceptualHash is not null).ToList();
        var groups = PerceptualHash.NearDuplicateGroups(hashed.Select(r => r.PerceptualHash!.Value).ToList(), NearDuplicateDistance)
            // copies with the same bytes are reported as exact duplicates already
            .Where(g => g.Select(i => hashed[i].ContentHash).Distinct().Count() > 1)
            .ToList();
        return Duplicates(groups, hashed);
    }

    private static DuplicateSection Duplicates(IReadOnlyList<int[]> groups, IReadOnlyList<QualityRow> rows)
    {
        bool Conflicting(int[] g) => g.Select(i => rows[i].Label).Where(l => l is not null).Distinct().Count() > 1;
        var listed = groups.OrderByDescending(Conflicting).ThenByDescending(g => g.Length).Take(QualityReport.MaxListedGroups)
            .Select(g => new DuplicateGroup(Conflicting(g),
                g.Take(MaxListedMembers).Select(i => new DuplicateMember(rows[i].Id, rows[i].Name, rows[i].Label)).ToList()))
            .ToList();
        return new DuplicateSection(groups.Count, groups.Sum(g => g.Length), groups.Count(Conflicting), listed);
    }

    private static ImageQuality ImageHistograms(IReadOnlyList<QualityRow> rows, List<QualityWarning> warnings)
    {
        var images = rows.Where(r => r.Width > 0 && r.Height > 0).ToList();
        string SizeBin(int side) => side switch
        {
            < 32 => "under 32 px",
            < 64 => "32–63 px",
            < 128 => "64–127 px",
            < 256 => "128–255 px",
            < 512 => "256–511 px",
            < 1024 => "512–1023 px",
            _ => "1024 px or more",
        };
        string AspectBin(double ratio) => ratio switch
        {
            < 0.5 => "tall (under 1:2)",
            < 0.8 => "portrait (1:2 to 4:5)",
            <= 1.25 => "square-ish (4:5 to 5:4)",
            <= 2 => "landscape (5:4 to 2:1)",
            _ => "wide (over 2:1)",
        };
        string[] sizeOrder = ["under 32 px", "32–63 px", "64–127 px", "128–255 px", "256–511 px", "512–1023 px", "1024 px or more"];
        string[] aspectOrder = ["tall (under 1:2)", "portrait (1:2 to 4:5)", "square-ish (4:5 to 5:4)", "landscape (5:4 to 2:1)", "wide (over 2:1)"];
        List<HistogramBin> Histogram(IEnumerable<string> bins, string[] order)
        {
            var counts = bins.CountBy(b => b).ToDictionary();
            return order.Where(counts.ContainsKey).Select(b => new HistogramBin(b, counts[b])).ToList();
        }

        var sizes = Histogram(images.Select(r => SizeBin(Math.Max(r.Width, r.Height))), sizeOrder);
        var aspects = Histogram(images.Select(r => AspectBin(r.Width / (double)r.Height)), aspectOrder);
        var channels = Histogram(images.Select(r => r.Channels == 1 ? "grayscale" : "colour"), ["grayscale", "colour"]);

        var grayscale = images.Count(r => r.Channels == 1);
        if (grayscale > 0 && grayscale < images.Count)
            warnings.Add(new("mixed_channels", QualitySeverity.Info,
                $"{grayscale} image(s) are grayscale and {images.Count - grayscale} in colour; training converts all to colour.",
                "Nothing to do unless colour matters for telling the classes apart: then make sure every class has colour images."));
        var stretched = images.Count(r => r.Width / (double)r.Height is < 0.5 or > 2);
        if (stretched > 0)
            warnings.Add(new("extreme_aspect", QualitySeverity.Info,
                $"{stretched} image(s) are more than twice as wide as tall or the other way round; training stretches every image to a square.",
                "Crop those images closer to square if the stretching hides what tells the classes apart."));
        var tiny = images.Count(r => Math.Max(r.Width, r.Height) < 16);
        if (tiny > 0)
            warnings.Add(new("tiny_images", QualitySeverity.Warning,
                $"{tiny} image(s) are smaller than 16 pixels on their longest side and carry little detail.",
                "Check that they are the images you meant to include (not icons or thumbnails); replace them with larger ones if you can."));
        return new ImageQuality(sizes, aspects, channels);
    }

    private static TabularQuality TabularChecks(IReadOnlyList<QualityRow> rows, List<QualityWarning> warnings)
    {
        var columns = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var values = rows.Select(r =>
        {
            var cells = ParseCells(r.ValuesJson);
            foreach (var name in cells.Keys.Where(seen.Add)) columns.Add(name);
            return cells;
        }).ToList();

        var result = new List<ColumnQuality>();
        var leakage = new List<LeakageFinding>();
        var labeled = Enumerable.Range(0, rows.Count).Where(i => rows[i].Label is not null).ToList();
        var classCount = labeled.Select(i => rows[i].Label).Distinct().Count();
        var majorityShare = labeled.Count == 0 ? 1 : labeled.CountBy(i => rows[i].Label!).Max(c => c.Value) / (double)labeled.Count;

        foreach (var column in columns)
        {
            string? Cell(int row) => values[row].GetValueOrDefault(column) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
            var missing = Enumerable.Range(0, rows.Count).Count(i => Cell(i) is null);
            var distinct = Enumerable.Range(0, rows.Count).Select(Cell).Where(v => v is not null).Distinct().Count();
            var constant = rows.Count > 1 && distinct <= 1;
            result.Add(new ColumnQuality(column, missing, distinct, constant));

            if (missing > 0)
                warnings.Add(new("missing_values", missing * 2 > rows.Count ? QualitySeverity.Warning : QualitySeverity.Info,
                    $"Column '{column}' is empty in {missing} of {rows.Count} rows ({missing * 100.0 / rows.Count:0.#}%).",
                    missing * 2 > rows.Count
                        ? "More than half is missing: drop the column unless its presence itself matters, or fill it in at the source."
                        : "Missing cells are filled in for training; if the column matters, fill them in at the source."));
            if (constant)
                warnings.Add(new("constant_column", QualitySeverity.Warning,
                    $"Column '{column}' has the same value in every row, so it cannot help tell rows apart.",
                    "Drop the column."));

            // A column with (almost) a value per row predicts any label by memorising; that is not leakage.
            if (constant || classCount < 2 || distinct * 2 > labeled.Count) continue;
            var correct = labeled.GroupBy(i => Cell(i) ?? "")
                .Sum(g => g.CountBy(i => rows[i].Label!).Max(c => c.Value));
            var accuracy = correct / (double)labeled.Count;
            if (accuracy >= LeakageAccuracy && accuracy > majorityShare)
            {
                leakage.Add(new LeakageFinding(column, accuracy));
                warnings.Add(new("leakage", QualitySeverity.Error,
                    $"Column '{column}' alone gives the label for {accuracy:0.#%} of the labeled rows: it probably contains the answer (an id per class, or a value recorded after the outcome).",
                    $"Check where '{column}' comes from; if it would not be known when a prediction is made, drop it before training."));
            }
        }
        return new TabularQuality(result, leakage);
    }

    private static Dictionary<string, string?> ParseCells(string? json)
    {
        var cells = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(json)) return cells;
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object) return cells;
        foreach (var property in document.RootElement.EnumerateObject())
            cells[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                JsonValueKind.String => property.Value.GetString(),
                _ => property.Value.GetRawText(),
            };
        return cells;
    }
}
