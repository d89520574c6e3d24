using System.Text.Json;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Engine.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AutoMLStudio.Core.Datasets;

/// <param name="IncludeSuggestions">
/// Also freeze the unlabeled items that a model suggested a label for, with that label, in the training split only:
/// the model learns from them, while validation and test stay on labels people gave.
/// </param>
public sealed record CreateDatasetVersionRequest(
    Guid DatasetId, int? Seed = null, double? ValidationFraction = null, double? TestFraction = null, string? Note = null, string? UserId = null,
    bool IncludeSuggestions = false);

/// <summary>Items of one class in each split of a version.</summary>
public sealed record SplitCount(string Label, int Train, int Validation, int Test);

/// <summary>
/// Freezes every labeled item's current label into a new numbered version with a stratified train/validation/test
/// split, deterministic by seed (same labels and seed, same split). Later label edits never change a version.
/// </summary>
public sealed class CreateDatasetVersion(StudioDbContext db, ILogger<CreateDatasetVersion> logger)
{
    public const double DefaultFraction = 0.15;

    public async Task<DatasetVersion> HandleAsync(CreateDatasetVersionRequest request, CancellationToken ct)
    {
        var validation = request.ValidationFraction ?? DefaultFraction;
        var test = request.TestFraction ?? DefaultFraction;
        if (validation is < 0 or > 0.5 || test is < 0 or > 0.5 || double.IsNaN(validation) || double.IsNaN(test))
            throw new UserInputException("Invalid split", "'validationFraction' and 'testFraction' must each be between 0 and 0.5 (for example 0.15).");
        if (request.Note is { Length: > 500 })
            throw new UserInputException("Note too long", "A version note can have at most 500 characters.");

        var dataset = await db.Datasets.AsNoTracking().SingleOrDefaultAsync(d => d.Id == request.DatasetId, ct)
                      ?? throw UserInputException.NotFound("Dataset", request.DatasetId);
        if (dataset.Status != DatasetStatus.Ready)
            throw new UserInputException("Dataset not ready", "Only a dataset that finished importing can be versioned. Wait until its status is 'ready'.", 409);

        var items = await db.DatasetItems.AsNoTracking().Where(i => i.DatasetId == dataset.Id && i.Label != null)
            .OrderBy(i => i.OriginalName).ThenBy(i => i.Id)
            .Select(i => new { i.Id, Label = i.Label! }).ToListAsync(ct);
        if (items.Count == 0)
            throw new UserInputException("Nothing labeled", "A version freezes labeled items, and this dataset has none yet. Label some items first.", 409);

        var seed = request.Seed ?? Random.Shared.Next(1, int.MaxValue);
        var classes = items.Select(i => i.Label).Distinct().Order(StringComparer.Ordinal).ToList();
        var classIndex = classes.Select((c, n) => (c, n)).ToDictionary(x => x.c, x => x.n, StringComparer.Ordinal);
        var split = StratifiedSplit.Assign(items.Select(i => classIndex[i.Label]).ToArray(), seed, validation, test);
        var suggested = request.IncludeSuggestions
            ? await db.DatasetItems.AsNoTracking()
                .Where(i => i.DatasetId == dataset.Id && i.Label == null && i.SuggestedLabel != null && classes.Contains(i.SuggestedLabel))
                .OrderBy(i => i.OriginalName).ThenBy(i => i.Id).Select(i => new { i.Id, Label = i.SuggestedLabel! }).ToListAsync(ct)
            : [];
        items = [.. items, .. suggested];
        split = [.. split, .. suggested.Select(_ => StratifiedSplit.Train)];
        var counts = classes.Select(c =>
        {
            var parts = Enumerable.Range(0, items.Count).Where(n => items[n].Label == c).Select(n => split[n]).ToList();
            return new SplitCount(c, parts.Count(p => p == StratifiedSplit.Train), parts.Count(p => p == StratifiedSplit.Validation),
                parts.Count(p => p == StratifiedSplit.Test));
        }).ToList();

        // The unique (dataset, number) index settles two versions created at once: the loser takes the next number.
        for (var attempt = 1; ; attempt++)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var number = (await db.DatasetVersions.Where(v => v.DatasetId == dataset.Id).MaxAsync(v => (int?)v.Number, ct) ?? 0) + 1;
            var version = new DatasetVersion
            {
                DatasetId = dataset.Id,
                Number = number,
                Seed = seed,
                ValidationFraction = validation,
                TestFraction = test,
                ItemCount = items.Count,
                SplitCounts = [.. counts],
                Note = (string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim())
                       + (suggested.Count > 0 ? $" (with {suggested.Count} unconfirmed suggestions, training split only)" : null),
                CreatedBy = request.UserId,
            };
            db.DatasetVersions.Add(version);
            db.DatasetVersionItems.AddRange(items.Select((item, n) =>
                new DatasetVersionItem { VersionId = version.Id, ItemId = item.Id, Label = item.Label, Split = (SplitPart)split[n] }));
            try
            {
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                db.ChangeTracker.Clear();
                logger.LogInformation("Dataset {DatasetId} version {Number}: {Items} items, seed {Seed}", dataset.Id, number, items.Count, seed);
                return version;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                await tx.RollbackAsync(ct);
                db.ChangeTracker.Clear();
            }
        }
    }

    public static IReadOnlyList<SplitCount> SplitCounts(DatasetVersion version) =>
        version.SplitCounts;
}
