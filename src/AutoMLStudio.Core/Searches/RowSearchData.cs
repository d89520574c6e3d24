using System.Text.Json;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Core.Searches.Pipelines;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Engine.Data;
using AutoMLStudio.Engine.Learners;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Text;
using AutoMLStudio.Engine.Training;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Searches;

/// <summary>A tabular or text search's rows, split, with the preprocessing fitted on its training split.</summary>
public sealed record RowSearchData(
    SearchTask Task,
    IReadOnlyList<string> Classes,
    IReadOnlyList<RowSearchData.Row> Train,
    IReadOnlyList<RowSearchData.Row> Validation,
    IReadOnlyList<RowSearchData.Row> Test,
    TabularPreprocessingPlan? Plan,
    TextTokenizer? Tokenizer)
{
    /// <summary>One row as stored beside the search: its split, label, cells (tabular) or text, and its dataset item (null in
    /// rows stored before item ids were kept).</summary>
    public sealed record Row(int Split, string Label, Dictionary<string, string?>? Values, string? Text, Guid? ItemId = null);

    public TabularExamples Tabular(IReadOnlyList<Row> rows) => new([.. rows.Select(r => (IReadOnlyDictionary<string, string?>)(r.Values ?? []))], Targets(rows));

    public TextExamples Texts(IReadOnlyList<Row> rows) => new([.. rows.Select(r => r.Text)], Targets(rows));

    /// <summary>The rows as a learner takes them: cells and texts with their targets.</summary>
    public RowExamples Examples(IReadOnlyList<Row> rows) =>
        new([.. rows.Select(r => (IReadOnlyDictionary<string, string?>)(r.Values ?? []))], [.. rows.Select(r => r.Text)], Targets(rows));

    public SupervisedTargets Targets(IReadOnlyList<Row> rows)
    {
        if (SearchTasks.IsRegression(Task)) return SupervisedTargets.Numbers([.. rows.Select(r => double.Parse(r.Label, System.Globalization.CultureInfo.InvariantCulture))]);
        var index = Classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        return SupervisedTargets.Classes([.. rows.Select(r => index[r.Label])], Classes.Count);
    }
}

/// <summary>
/// Writes a tabular or text search's rows once, when it starts, into one JSON file beside the search, with the
/// preprocessing plan (tables) or tokenizer (texts) fitted on the training split, so every trial, every restart and
/// the final evaluation read the same rows and transform them the same way.
/// </summary>
public sealed class RowSearchDataStore(IArtifactStore store)
{
    /// <summary>Most distinct words a text search's tokenizer keeps.</summary>
    public const int MaxVocabulary = 20_000;

    private sealed record Stored(SearchTask Task, List<string> Classes, List<RowSearchData.Row> Rows, TabularPreprocessingPlan? Plan, TextTokenizer? Tokenizer);

    public static string RowsPath(Guid searchId) => $"searches/{searchId:N}/rows.json";

    public async Task<RowSearchData> PrepareAsync(StudioDbContext db, Search search, CancellationToken ct)
    {
        var dataset = await db.Datasets.AsNoTracking().SingleAsync(d => d.Id == search.DatasetId, ct);
        var items = await (from v in db.DatasetVersionItems
                          where v.VersionId == search.DatasetVersionId
                          join i in db.DatasetItems on v.ItemId equals i.Id
                          orderby i.SourceIndex, i.Id
                          select new { v.Split, v.Label, i.Text, i.ValuesJson, i.Id }).AsNoTracking().ToListAsync(ct);
        var tabular = TaskPipelines.TraitsOf(search.Task).Instances == EndpointInput.Rows;
        var rows = items.Select(i => new RowSearchData.Row((int)i.Split, i.Label,
            tabular ? JsonSerializer.Deserialize<Dictionary<string, string?>>(i.ValuesJson ?? "{}") : null, tabular ? null : i.Text, i.Id)).ToList();
        if (SearchTasks.IsRegression(search.Task))
        {
            // A version splits by label, and nearly every number is a label of its own; regression splits the rows as one group.
            var split = StratifiedSplit.Assign(new int[rows.Count], search.Seed);
            rows = [.. rows.Select((r, n) => r with { Split = split[n] })];
        }

        var classes = SearchTasks.IsRegression(search.Task) ? [] : rows.Select(r => r.Label).Distinct().Order(StringComparer.Ordinal).ToList();
        var data = new RowSearchData(search.Task, classes, Part(rows, 0), Part(rows, 1), Part(rows, 2), null, null);
        if (tabular)
        {
            var columns = (dataset.Columns ?? []).Where(c => c.Name != dataset.LabelColumn)
                .Select(c => new TabularColumn(c.Name, c.Type)).ToList();
            data = data with { Plan = TabularPreprocessingPlan.Fit(columns, data.Tabular(data.Train)) };
        }
        else
        {
            data = data with { Tokenizer = TextTokenizer.Fit(data.Train.Select(r => r.Text), MaxVocabulary) };
        }

        var stored = new Stored(search.Task, classes, rows, data.Plan, data.Tokenizer);
        await AtomicFile.WriteAsync(store.FullPath(RowsPath(search.Id)),
            stream => JsonSerializer.SerializeAsync(stream, stored, Engine.Spaces.EngineJson.Options, ct), ct);
        return data;
    }

    public RowSearchData Load(Guid searchId)
    {
        using var stream = File.OpenRead(store.FullPath(RowsPath(searchId)));
        var stored = JsonSerializer.Deserialize<Stored>(stream, Engine.Spaces.EngineJson.Options)
                     ?? throw new InvalidDataException($"The prepared rows of search {searchId} are empty.");
        return new RowSearchData(stored.Task, stored.Classes, Part(stored.Rows, 0), Part(stored.Rows, 1), Part(stored.Rows, 2), stored.Plan, stored.Tokenizer);
    }

    private static List<RowSearchData.Row> Part(List<RowSearchData.Row> rows, int split) => [.. rows.Where(r => r.Split == split)];
}
