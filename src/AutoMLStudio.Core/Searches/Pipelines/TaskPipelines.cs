using AutoMLStudio.Core.Datasets;

namespace AutoMLStudio.Core.Searches.Pipelines;

/// <summary>The one place code branches on a task: it picks the task's pipeline, trial shape and model parts.</summary>
public sealed class TaskPipelines(ImagePipeline images, RowPipeline rows)
{
    public ITaskPipeline For(SearchTask task) => UsesRows(task) ? rows : images;

    /// <summary>The task's trial shape, for code that reads trials without running anything.</summary>
    public static ITrialShape ShapeOf(SearchTask task) => UsesRows(task) ? RowPipeline.TrialShape : ImagePipeline.TrialShape;

    /// <summary>What registering and hosting the task's models needs, for code that has only rows and files.</summary>
    public static ITaskModels ModelsOf(SearchTask task) => task switch
    {
        SearchTasks.TextClassification => TextModels.Instance,
        SearchTasks.TabularClassification or SearchTasks.TabularRegression => TableModels.Instance,
        _ => ImageModels.Instance,
    };

    // Tables and texts train on rows of values or texts rather than images; the task's model parts say which it reads,
    // so the list of tasks lives in ModelsOf alone. Nothing outside this class may pick by it.
    private static bool UsesRows(SearchTask task) => !TraitsOf(task).TakesImages;

    /// <summary>What pages call the task, its examples and its models.</summary>
    public static TaskWords WordsOf(SearchTask task) => task switch
    {
        SearchTasks.ImageClassification => new("image", "images", "Image classifier", "Image classification"),
        SearchTasks.TabularClassification => new("row", "rows", "Table classifier", "Table row classification"),
        SearchTasks.TabularRegression => new("row", "rows", "Table regression (predicts a number)", "Predicting a number from a table row"),
        SearchTasks.TextClassification => new("text", "texts", "Text classifier", "Text classification"),
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "A task without words: add them here with its pipeline."),
    };

    /// <summary>The task whose models classify data of <paramref name="kind"/>: the models that suggest labels for such a dataset.</summary>
    public static SearchTask ClassifierTaskOf(DatasetKind kind) => kind switch
    {
        DatasetKind.Text => SearchTasks.TextClassification,
        DatasetKind.Tabular => SearchTasks.TabularClassification,
        _ => SearchTasks.ImageClassification,
    };

    /// <summary>What pages may offer for the task (registering from the search page, images or JSON instances).</summary>
    public static TaskTraits TraitsOf(SearchTask task) => ModelsOf(task).Traits;
}
