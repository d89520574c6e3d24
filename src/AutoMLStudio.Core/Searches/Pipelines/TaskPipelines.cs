namespace AutoMLStudio.Core.Searches.Pipelines;

/// <summary>The one place a search branches on its task: it picks the task's pipeline.</summary>
public sealed class TaskPipelines(ImagePipeline images, RowPipeline rows)
{
    public ITaskPipeline For(SearchTask task) => SearchTasks.UsesRows(task) ? rows : images;

    /// <summary>The task's trial shape, for code that reads trials without running anything.</summary>
    public static ITrialShape ShapeOf(SearchTask task) => SearchTasks.UsesRows(task) ? RowPipeline.TrialShape : ImagePipeline.TrialShape;
}
