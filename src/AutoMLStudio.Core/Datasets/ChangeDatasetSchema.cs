using System.Text.Json;
using AutoMLStudio.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Datasets;

public sealed record ChangeDatasetSchemaRequest(string? LabelColumn, string? Task, IReadOnlyDictionary<string, string>? ColumnTypes);

/// <summary>
/// Changes a table's label column, task or column types after import. A new label column or task recomputes
/// every row's label from the row's stored cells; a new label column without a task gets the task proposed for it.
/// </summary>
public sealed class ChangeDatasetSchema(StudioDbContext db, RequestQualityReport quality)
{
    public async Task<Dataset> HandleAsync(Guid datasetId, ChangeDatasetSchemaRequest request, CancellationToken ct)
    {
        var dataset = await db.Datasets.SingleOrDefaultAsync(d => d.Id == datasetId, ct) ?? throw UserInputException.NotFound("Dataset", datasetId);
        if (dataset.Kind != DatasetKind.Tabular)
            throw new UserInputException("Not a table", "Only tabular datasets have columns whose label, task and types can be changed.");
        if (dataset.Status != DatasetStatus.Ready)
            throw new UserInputException("Dataset not ready", "The schema can be changed once the import has finished.", 409);

        var columns = dataset.Columns ?? [];
        var names = columns.Select(c => c.Name).ToList();
        var labelColumn = request.LabelColumn is null ? dataset.LabelColumn! : CsvHeader.Match(names, request.LabelColumn, "Label");
        var label = columns.Single(c => c.Name == labelColumn);
        var task = request.Task is null
            ? labelColumn == dataset.LabelColumn && dataset.Task is { } kept ? kept : ColumnProfile.ProposeTask(label)
            : WireNames<DatasetTask>.Find(request.Task) ?? throw new UserInputException("Unknown task", "The task must be 'classification' or 'regression'.");
        if (task == DatasetTasks.Regression && !label.AllNumeric)
            throw new UserInputException("Label is not numeric",
                $"Regression predicts a number, but column '{labelColumn}' holds values that are not numbers. Choose classification or a numeric column.");

        foreach (var (column, type) in request.ColumnTypes ?? new Dictionary<string, string>())
        {
            var index = ColumnNames.Find(names, column) is { } name ? names.IndexOf(name) : -1;
            if (index < 0)
                throw new UserInputException("Column not found", $"There is no column '{column}'. The columns are: {string.Join(", ", names)}.");
            var wanted = type.Trim().ToLowerInvariant();
            if (!ColumnTypes.All.Contains(wanted))
                throw new UserInputException("Unknown column type", $"'{type}' is not a column type. Use one of: {string.Join(", ", ColumnTypes.All)}.");
            if (wanted == ColumnTypes.Numeric && !columns[index].AllNumeric)
                throw new UserInputException("Column is not numeric", $"Column '{columns[index].Name}' holds values that are not numbers, so it cannot be numeric.");
            columns[index] = columns[index] with { Type = wanted };
        }

        var relabel = labelColumn != dataset.LabelColumn || task != dataset.Task;
        dataset.LabelColumn = labelColumn;
        dataset.Task = task;
        dataset.Columns = [.. columns];
        await db.SaveChangesAsync(ct);
        if (relabel)
        {
            var labeled = await RecomputeLabelsAsync(db, datasetId, labelColumn, task, ct);
            await db.Datasets.Where(d => d.Id == datasetId).ExecuteUpdateAsync(s => s.SetProperty(d => d.LabeledCount, labeled), ct);
            dataset.LabeledCount = labeled;
        }
        await quality.HandleAsync(datasetId, ct); // labels, task or column roles changed: the report is out of date
        return dataset;
    }

    /// <summary>Sets every row's label from its stored cell in <paramref name="labelColumn"/>, page by page; returns how many rows have one.</summary>
    public static async Task<int> RecomputeLabelsAsync(StudioDbContext db, Guid datasetId, string labelColumn, DatasetTask task, CancellationToken ct)
    {
        var labeled = 0;
        var after = int.MinValue;
        while (true)
        {
            var page = await db.DatasetItems.Where(i => i.DatasetId == datasetId && i.SourceIndex > after)
                .OrderBy(i => i.SourceIndex).Take(1000).ToListAsync(ct);
            if (page.Count == 0) return labeled;
            foreach (var item in page)
            {
                var values = JsonSerializer.Deserialize<Dictionary<string, string>>(item.ValuesJson ?? "{}") ?? [];
                var label = ColumnProfile.LabelOf(values.GetValueOrDefault(labelColumn), task);
                if (label != item.Label)
                {
                    item.Label = label;
                    item.Revision++;
                }
                if (label is not null) labeled++;
            }
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            after = page[^1].SourceIndex;
        }
    }
}
