using System.Text.Json.Serialization;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Engine.Metrics;

namespace AutoMLStudio.Core.Searches;

/// <summary>What a search trains and a model does; stored and sent as "image_classification" and so on.</summary>
[JsonConverter(typeof(WireNameJsonConverter<SearchTask>))]
public enum SearchTask { ImageClassification, TabularClassification, TabularRegression, TextClassification }

/// <summary>What a search trains, proposed from the dataset's kind when the request leaves it out.</summary>
public static class SearchTasks
{
    public const SearchTask ImageClassification = SearchTask.ImageClassification;
    public const SearchTask TabularClassification = SearchTask.TabularClassification;
    public const SearchTask TabularRegression = SearchTask.TabularRegression;
    public const SearchTask TextClassification = SearchTask.TextClassification;

    public static readonly IReadOnlyList<string> All = [.. Enum.GetValues<SearchTask>().Select(Name)];

    /// <summary>"image_classification": the word the API and the database use.</summary>
    public static string Name(this SearchTask task) => WireNames<SearchTask>.Name(task);

    public static bool IsRegression(SearchTask task) => task == TabularRegression;

    /// <summary>The metrics a task can optimise, the default first.</summary>
    public static IReadOnlyList<MetricDefinition> MetricsFor(SearchTask task) =>
        IsRegression(task) ? MetricCatalog.Regression : MetricCatalog.Classification;

    /// <summary>The request's task, or the one the dataset's kind (and a table's task) suggests; a problem when they do not fit.</summary>
    public static SearchTask Resolve(string? requested, Dataset dataset)
    {
        var proposed = dataset.Kind switch
        {
            DatasetKind.Tabular => dataset.Task == DatasetTasks.Regression ? TabularRegression : TabularClassification,
            DatasetKind.Text => TextClassification,
            _ => ImageClassification,
        };
        var task = string.IsNullOrWhiteSpace(requested) ? proposed : WireNames<SearchTask>.Find(requested) ??
            throw new UserInputException("Unknown task",
                $"'{requested}' is not a task the studio trains. Use one of: {string.Join(", ", All)}, or leave 'task' empty to let the dataset decide.");
        var fits = dataset.Kind switch
        {
            DatasetKind.Tabular => task is TabularClassification or TabularRegression,
            DatasetKind.Text => task == TextClassification,
            _ => task == ImageClassification,
        };
        if (!fits)
            throw new UserInputException("Task does not fit the dataset",
                $"A {dataset.Kind.ToString().ToLowerInvariant()} dataset cannot train '{task.Name()}'. Leave 'task' empty to use '{proposed.Name()}'.");
        if (task == TabularRegression && dataset.Task != DatasetTasks.Regression)
            throw new UserInputException("Task does not fit the dataset",
                "The dataset's label column is set up for classification. Change the dataset's task to regression first (its label must be a number), or leave 'task' empty.");
        if (task == TabularClassification && dataset.Task == DatasetTasks.Regression)
            throw new UserInputException("Task does not fit the dataset",
                "The dataset's label column is set up for regression. Change the dataset's task to classification first, or leave 'task' empty.");
        return task;
    }

    /// <summary>Regression trains on numbers, not classes: it needs enough labeled rows to give each split some.</summary>
    public static void CheckRegressionRows(int labeledRows)
    {
        if (labeledRows < 10)
            throw new UserInputException("Not enough rows",
                $"Regression needs at least 10 rows with a numeric label so that training, validation and testing each get some; this dataset has {labeledRows}.", 409);
    }
}
