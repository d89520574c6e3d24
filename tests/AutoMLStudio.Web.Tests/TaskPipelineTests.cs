using System.Text.Json;
using System.Text.RegularExpressions;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Core.Searches.Pipelines;
using AutoMLStudio.Engine.Backbones;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;
using Xunit;

namespace AutoMLStudio.Web.Tests;

/// <summary>
/// A new task (detection, say) must be one new pipeline, not a third copy of the search step and the trial path:
/// the search code asks the task's pipeline and branches on the task nowhere else.
/// </summary>
public sealed class TaskPipelineTests
{
    [Fact]
    public void Only_the_task_pipelines_branch_on_rows_versus_images()
    {
        // Registering, model cards, hosting and the pages included: what differs per task is a part the task's pipeline
        // provides. The rule itself is private to TaskPipelines, so only a copy of it could break this.
        var src = Path.Combine(RepositoryRoot(), "src");
        var pipelines = Path.Combine(src, "AutoMLStudio.Core", "Searches", "Pipelines") + Path.DirectorySeparatorChar;
        var branching = SourceFiles(src)
            .Where(f => !f.StartsWith(pipelines, StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("UsesRows(", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(src, f))
            .Order()
            .ToList();

        Assert.Empty(branching);
    }

    [Fact]
    public void Only_the_task_pipelines_name_a_task()
    {
        // Object detection must be a new pipeline, not a new case in the bundle, the batch reader, the budget and the
        // suggestions: what differs per task is a part of the task's pipeline. Naming a task as a default value is fine.
        var src = Path.Combine(RepositoryRoot(), "src");
        var pipelines = Path.Combine(src, "AutoMLStudio.Core", "Searches", "Pipelines") + Path.DirectorySeparatorChar;
        var tasks = Path.Combine(src, "AutoMLStudio.Core", "Searches", "SearchTasks.cs");
        var task = new Regex(@"\bSearchTasks?\.(ImageClassification|TabularClassification|TabularRegression|TextClassification)\b");
        var asDefault = new Regex(@"((?<![=!<>])=(?![=>])\s*([\w.]+\.)?SearchTasks?\.\w+;\s*$)|(\?\?\s*([\w.]+\.)?SearchTasks?\.\w+)");
        var naming = SourceFiles(src)
            .Where(f => !f.StartsWith(pipelines, StringComparison.Ordinal) && f != tasks)
            .SelectMany(f => File.ReadLines(f).Select((line, n) => (File: f, Line: n + 1, Text: line)))
            .Where(l => task.IsMatch(l.Text) && !asDefault.IsMatch(l.Text))
            .Select(l => $"{Path.GetRelativePath(src, l.File)}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        Assert.True(naming.Count == 0, "These lines name a task outside Core/Searches/Pipelines; make what they need a part of the task's pipeline:\n"
                                       + string.Join('\n', naming));
    }

    [Fact]
    public void A_fine_tuned_image_trial_is_described_by_its_learner_with_the_layers_that_learn()
    {
        var context = new SearchSpaceContext(1, 28, 10, [0.3f], [0.3f], MaxEpochs: 5);
        var candidates = new BackboneCandidates(SearchStrategies.Create("tpe", context, 5, budget: 40), [BackboneArchitectures.MobileNetV2], 5);
        var trial = new Trial { ConfigJson = JsonSerializer.Serialize(candidates.Ask(BackboneCandidates.FirstTrial), EngineJson.Options) };

        var (architecture, training) = TrialDescriptions.Describe(trial, new Search { Task = SearchTasks.ImageClassification });

        Assert.Contains("MobileNetV2 pretrained", architecture);
        Assert.Matches(@"learns?\b", training);
    }

    [Theory]
    [InlineData(SearchTasks.ImageClassification, true)]
    [InlineData(SearchTasks.TabularClassification, false)]
    [InlineData(SearchTasks.TabularRegression, false)]
    [InlineData(SearchTasks.TextClassification, false)]
    public void Each_task_says_what_its_pages_may_offer_and_how_its_models_read_input(SearchTask task, bool images)
    {
        var models = TaskPipelines.ModelsOf(task);

        var traits = TaskPipelines.TraitsOf(task);
        Assert.Equal(images, traits.TakesImages);
        Assert.Equal(images, traits.BuildsConvolutionalNetworks);
        Assert.Equal(images ? EndpointInput.Images : task == SearchTasks.TextClassification ? EndpointInput.Text : EndpointInput.Rows, traits.Instances);
        // Pages name the task's examples and models from its words alone.
        var words = TaskPipelines.WordsOf(task);
        Assert.Equal(words.Item, words.ItemsFor(1));
        Assert.Equal($"{words.Item}s", words.ItemsFor(2));
        Assert.Equal(char.ToUpperInvariant(words.Items[0]) + words.Items[1..], words.Heading);
        Assert.False(string.IsNullOrWhiteSpace(words.ModelKind) || string.IsNullOrWhiteSpace(words.Purpose));
        // Images go to the graph as pixels; tables and texts need the preprocessing registered with the weights.
        var card = new ModelCard("m", 1, task, ["a", "b"], null, default, 1, null,
            new ModelMetrics("accuracy", null, null, null), new ModelLineage(Guid.Empty, null, Guid.Empty, Guid.Empty, 1, "0"));
        if (images) Assert.Null(models.InstanceReader(card, null));
        else Assert.Contains("needs its", Assert.Throws<InvalidDataException>(() => models.InstanceReader(card, null)).Message);
    }

    [Theory]
    [InlineData(SearchTasks.ImageClassification, null)]
    [InlineData(SearchTasks.TabularClassification, "mlp")]
    [InlineData(SearchTasks.TabularRegression, "mlp")]
    [InlineData(SearchTasks.TextClassification, "text")]
    public void Each_task_says_whether_its_models_start_searches_which_learner_its_rows_train_and_what_a_batch_csv_needs(SearchTask task, string? learner)
    {
        var models = TaskPipelines.ModelsOf(task);

        // Only image models carry over to new classes; the others are refused with a reason before anything is read.
        Assert.Equal(learner is null, models.Traits.StartsSearches);
        Assert.Equal(learner, models.RowLearner);
        if (learner is null) Assert.Throws<ArgumentException>(() => RowTrials.Learner(task));
        else Assert.Equal(learner, RowTrials.Learner(task).Name);
        // A text model cannot read a CSV without its texts; a table's missing column is a missing value.
        if (learner == "text")
            Assert.Equal("A text model's CSV needs a column named 'text'.",
                Assert.Throws<UserInputException>(() => models.CheckCsvHeader(["id", "body"])).Detail);
        else models.CheckCsvHeader(["id", "body"]);
        models.CheckCsvHeader(["id", "text"]);
    }

    [Theory]
    [InlineData(DatasetKind.Image, EndpointInput.Images)]
    [InlineData(DatasetKind.Tabular, EndpointInput.Rows)]
    [InlineData(DatasetKind.Text, EndpointInput.Text)]
    public void The_models_that_suggest_labels_for_a_kind_of_data_classify_that_kind(DatasetKind kind, EndpointInput reads)
    {
        var task = TaskPipelines.ClassifierTaskOf(kind);

        Assert.False(SearchTasks.IsRegression(task));
        Assert.Equal(reads, TaskPipelines.TraitsOf(task).Instances);
    }

    [Theory]
    [InlineData(SearchTasks.ImageClassification, true)]
    [InlineData(SearchTasks.TabularClassification, false)]
    [InlineData(SearchTasks.TextClassification, false)]
    public void Nac_is_offered_only_where_the_task_searches_convolutional_networks_and_auto_is_tpe_everywhere(SearchTask task, bool images)
    {
        StrategyChoices.CheckFits(task, "tpe");
        if (images) StrategyChoices.CheckFits(task, " NAC ");
        else Assert.Contains("is for image searches", Assert.Throws<UserInputException>(() => StrategyChoices.CheckFits(task, " NAC ")).Detail);

        var auto = StrategyChoices.For("auto", expectedTrials: 40, epochsPerTrial: 20, startingModel: null);
        Assert.Equal(("tpe", "asha"), (auto.Strategy, auto.Scheduler));
        Assert.Equal(("nac", "none"), (StrategyChoices.For("nac", 10, 8, null).Strategy, StrategyChoices.For("nac", 10, 8, null).Scheduler));
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

    private static IEnumerable<string> SourceFiles(string src) =>
        Directory.EnumerateFiles(src, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AutoMLStudio.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("The tests run outside the repository.");
    }
}
