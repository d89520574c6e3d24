using System.Text.Json;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Datasets;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Searches;

/// <summary>A test example the final model got wrong, and the dataset item it came from as it is now.</summary>
/// <param name="TrueLabel">The label the search trained and tested with (the dataset version's).</param>
/// <param name="Confidence">The probability the model gave <paramref name="PredictedLabel"/>.</param>
/// <param name="TrueLabelProbability">The probability the model gave <paramref name="TrueLabel"/>.</param>
/// <param name="CurrentLabel">The item's label today, which a fix may have changed since the search; null when unlabeled.</param>
/// <param name="Item">The item as it is now; null when it was deleted from the dataset since.</param>
public sealed record MisclassifiedExample(
    Guid ItemId, Guid DatasetId, string TrueLabel, string PredictedLabel, double Confidence, double TrueLabelProbability,
    string? CurrentLabel, MisclassifiedItem? Item);

/// <summary>What the gallery shows of an item: its file name, whether it has an image, and for rows a short text.</summary>
public sealed record MisclassifiedItem(string OriginalName, bool HasImage, string? Snippet);

/// <param name="Total">Misclassified test examples in all.</param>
/// <param name="TestCount">Test examples in all, right or wrong.</param>
public sealed record MisclassifiedPage(int Total, int TestCount, IReadOnlyList<MisclassifiedExample> Items);

/// <summary>
/// The test examples a completed classification search's final model got wrong, most confident mistakes first: a
/// confident mistake is often a wrong label rather than a hard example, so those are worth an expert's look first.
/// </summary>
public sealed class MisclassifiedExamples(StudioDbContext db, TestPredictionStore predictions)
{
    public const int DefaultLimit = 24;
    public const int MaxLimit = 200;
    public const int SnippetLength = 160;

    public async Task<MisclassifiedPage> HandleAsync(Guid searchId, int? limit, int? offset, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit || offset is < 0)
            throw new UserInputException("Invalid paging", $"'limit' must be between 1 and {MaxLimit} and 'offset' 0 or more.");
        var search = await db.Searches.AsNoTracking().SingleOrDefaultAsync(s => s.Id == searchId, ct)
                     ?? throw UserInputException.NotFound("Search", searchId);
        if (SearchTasks.IsRegression(search.Task))
            throw new UserInputException("No misclassified examples",
                "A regression predicts numbers, so no answer is simply wrong; look at the test RMSE and MAE of the search instead.", 404);
        if (search.Status != SearchStatus.Completed)
            throw new UserInputException("Search not completed",
                $"The search is {search.Status.ToString().ToLowerInvariant()}; its mistakes on the test set are known once it completes.", 409);
        var stored = await predictions.ReadAsync(searchId, ct)
                     ?? throw new UserInputException("No test predictions",
                         "This search completed before the studio kept each test example's prediction, so it has no gallery of mistakes. "
                         + "Refine it or run it again to get one.", 404);

        var mistakes = stored.Predictions.Where(p => p.IsMistake)
            .OrderByDescending(p => p.Confidence).ThenBy(p => p.ItemId).ToList(); // the id keeps pages stable on ties
        var page = mistakes.Skip(offset ?? 0).Take(limit ?? DefaultLimit).ToList();
        var ids = page.Select(p => p.ItemId).ToList();
        var items = await db.DatasetItems.AsNoTracking().Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, ct);
        var labelColumn = await db.Datasets.Where(d => d.Id == search.DatasetId).Select(d => d.LabelColumn).SingleOrDefaultAsync(ct);
        return new MisclassifiedPage(mistakes.Count, stored.Predictions.Count, [.. page.Select(p =>
        {
            var item = items.GetValueOrDefault(p.ItemId);
            return new MisclassifiedExample(p.ItemId, search.DatasetId, stored.Classes[p.TrueClass], stored.Classes[p.PredictedClass],
                p.Confidence, p.TrueClassProbability, item?.Label,
                item is null ? null : new MisclassifiedItem(item.OriginalName, item.StoragePath is not null, Snippet(item, labelColumn)));
        })]);
    }

    /// <summary>
    /// A text's start, or a row's cells as "column: value" pairs without the label column (the row keeps its cell, which
    /// would show the answer), cut to <see cref="SnippetLength"/> characters.
    /// </summary>
    public static string? Snippet(DatasetItem item, string? labelColumn)
    {
        var full = item.Text ?? (item.ValuesJson is { } json ? Cells(json, labelColumn) : null);
        if (full is null) return null;
        full = string.Join(' ', full.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return full.Length <= SnippetLength ? full : full[..(SnippetLength - 1)] + "…";
    }

    private static string Cells(string valuesJson, string? labelColumn) =>
        string.Join(" · ", (JsonSerializer.Deserialize<Dictionary<string, string?>>(valuesJson) ?? [])
            .Where(c => c.Key != labelColumn).Select(c => $"{c.Key}: {c.Value}"));
}
