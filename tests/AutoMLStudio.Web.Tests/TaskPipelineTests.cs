using AutoMLStudio.Core.Searches;
using Xunit;

namespace AutoMLStudio.Web.Tests;

/// <summary>
/// A new task (detection, say) must be one new pipeline, not a third copy of the search step and the trial path:
/// the search code asks the task's pipeline and branches on the task nowhere else.
/// </summary>
public sealed class TaskPipelineTests
{
    [Fact]
    public void Search_code_branches_on_the_task_only_in_the_task_pipelines()
    {
        var searches = Path.Combine(RepositoryRoot(), "src", "AutoMLStudio.Core", "Searches");
        var pipelines = Path.Combine(searches, "Pipelines") + Path.DirectorySeparatorChar;
        var branching = Directory.EnumerateFiles(searches, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(pipelines, StringComparison.Ordinal) && Path.GetFileName(f) != "SearchTasks.cs")
            .Where(f => File.ReadAllText(f).Contains("UsesRows(", StringComparison.Ordinal))
            .Select(Path.GetFileName)
            .Order()
            .ToList();

        Assert.Empty(branching);
    }

    [Fact]
    public void One_search_step_job_serves_every_task()
    {
        var steps = typeof(SearchStepJob).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("AutoMLStudio.Core.Searches", StringComparison.Ordinal) == true
                        && t.Name.EndsWith("SearchStep", StringComparison.Ordinal) || t.Name.EndsWith("SearchStepJob", StringComparison.Ordinal))
            .Select(t => t.Name)
            .ToList();

        Assert.Equal(["SearchStepJob"], steps);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AutoMLStudio.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("The tests run outside the repository.");
    }
}
