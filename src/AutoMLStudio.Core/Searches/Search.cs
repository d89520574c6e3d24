using AutoMLStudio.Engine.Metrics;

namespace AutoMLStudio.Core.Searches;

public enum SearchStatus { Queued, Running, Paused, Completed, Failed, Cancelled }

public sealed class Search
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid DatasetId { get; set; }
    /// <summary>The frozen labels and split the search trains on.</summary>
    public Guid? DatasetVersionId { get; set; }
    public SearchTask Task { get; set; } = SearchTask.ImageClassification;
    public SearchStatus Status { get; set; } = SearchStatus.Queued;
    public string Metric { get; set; } = "accuracy";
    /// <summary>The search strategy: random, tpe or evolution ("auto" is resolved when the search starts).</summary>
    public SearchAlgorithm Algorithm { get; set; } = SearchAlgorithm.Random;
    /// <summary>The early-stopping scheduler: none, asha or median.</summary>
    public SearchScheduler Scheduler { get; set; } = SearchScheduler.None;
    /// <summary>Why "auto" chose this strategy and scheduler, in a sentence for the user.</summary>
    public string? AlgorithmReason { get; set; }
    public int Seed { get; set; }
    /// <summary>The user gave the seed, so the search must replay exactly: its trials run one at a time.</summary>
    public bool Reproducible { get; set; }
    /// <summary>The person's trial limit; null: none (the search runs until its minutes are spent or it converges).</summary>
    public int? MaxTrials { get; set; }
    /// <summary>The time limit: the person's, or the default from the data's size (<see cref="BudgetPlan"/>), always set.</summary>
    public double MaxMinutes { get; set; }
    /// <summary>The person's epoch limit per trial; null: trials train <see cref="PlannedEpochsPerTrial"/>.</summary>
    public int? MaxEpochsPerTrial { get; set; }
    /// <summary>Epochs per trial the search derived from the data's size and the budget (<see cref="BudgetPlan"/>), not a limit anyone set.</summary>
    public int? PlannedEpochsPerTrial { get; set; }
    /// <summary>Full trials the budget is expected to buy; sizes TPE's random start and evolution's population.</summary>
    public int? PlannedTrials { get; set; }
    /// <summary>Expected seconds of one full trial.</summary>
    public double? PlannedSecondsPerTrial { get; set; }
    /// <summary>Whether the plan comes from this search's own timed trials (true) or the cost model (false).</summary>
    public bool PlanMeasured { get; set; }
    /// <summary>Which limit ended the search (<see cref="SearchEndReasons"/>): minutes, trials, converged, cancelled, failed or nothing_fits.</summary>
    public SearchEndReason? EndReasonCode { get; set; }
    /// <summary>The end reason in words for the person.</summary>
    public string? EndReason { get; set; }
    /// <summary>The objective as the client sent it (metric, cost matrix, constraints), kept verbatim (column ObjectiveJson).</summary>
    public ObjectiveRequest Objective { get; set; } = new(null, null, null);
    /// <summary>Class names in label-index order, fixed when the search starts (column ClassesJson).</summary>
    public List<string> Classes { get; set; } = [];
    public int InputSize { get; set; }
    public int InputChannels { get; set; }
    /// <summary>Per-channel mean and standard deviation of the training split (column InputStatsJson).</summary>
    public InputStats? InputStats { get; set; }
    /// <summary>
    /// The search's home device queue (cpu, gpu-0, ...): the final retrain, test evaluation and latency measurements run
    /// there. Each trial is placed on a queue of its own where it fits (<see cref="Trial.Queue"/>).
    /// </summary>
    public string Queue { get; set; } = "cpu";
    /// <summary>The registered model version every trial starts from (its network and weights, a new output layer); null: from scratch.</summary>
    public Guid? StartFromModelVersionId { get; set; }
    /// <summary>
    /// Image searches also try fine-tuning the pretrained backbones an admin imported (<see cref="Engine.Search.BackboneCandidates"/>).
    /// False for searches stored before backbones existed, so they replay as they ran.
    /// </summary>
    public bool UsePretrained { get; set; }
    /// <summary>Trials of a search with a higher priority start first on a device (<see cref="SearchPriorities"/>).</summary>
    public int Priority { get; set; }
    public Guid? BestTrialId { get; set; }
    /// <summary>Held-out test evaluation of the best trial, set when completed (column TestEvaluationJson).</summary>
    public TestEvaluation? TestEvaluation { get; set; }
    /// <summary>The search this one refines: its finished trials were re-scored under this search's objective and carried over.</summary>
    public Guid? ParentSearchId { get; set; }
    /// <summary>The best configuration retrained on train+validation at the end; null before the end (column FinalRetrainJson).</summary>
    public FinalRetrainState? FinalRetrain { get; set; }
    public string? Error { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public List<Trial> Trials { get; set; } = [];
}

public sealed record InputStats(float[] Mean, float[] Std);

/// <summary>
/// The best trial on the held-out test split. The fields after <paramref name="Count"/> are null in searches completed
/// before objectives.
/// </summary>
/// <param name="Metric">The search's metric.</param>
/// <param name="MetricValue">The metric's value on the test split (for cost: expected cost per item, lower is better).</param>
/// <param name="MacroF1">Mean per-class F1, every class counting the same.</param>
/// <param name="Cost">Expected cost per item under the search's cost matrix; null without one.</param>
/// <param name="PerClass">Precision, recall, F1 and support of each class, in <paramref name="Classes"/> order.</param>
/// <param name="Rmse">Regression: root mean squared error in the label's units (classification fields are then empty).</param>
/// <param name="Mae">Regression: mean absolute error in the label's units.</param>
public sealed record TestEvaluation(double Accuracy, double Loss, IReadOnlyList<string> Classes, int[][] ConfusionMatrix, int Count,
    string? Metric = null, double? MetricValue = null, double? MacroF1 = null, double? Cost = null, IReadOnlyList<ClassTestScores>? PerClass = null,
    double? Rmse = null, double? Mae = null)
{
    /// <summary>
    /// A search completed before objectives (it optimised accuracy) stored no per-class scores: they follow from its
    /// confusion matrix, so the stored row is completed as it is read rather than every reader checking for it.
    /// </summary>
    public static TestEvaluation CompletedBeforeObjectives(TestEvaluation test)
    {
        if (test.PerClass is not null) return test;
        var confusion = new ConfusionMatrix(test.ConfusionMatrix);
        return test with
        {
            Metric = MetricCatalog.Accuracy.Name, MetricValue = test.Accuracy, MacroF1 = ClassificationMetrics.MacroF1(confusion),
            PerClass = ClassTestScores.From(confusion, test.Classes),
        };
    }

    /// <summary>A classifier's test evaluation: every classification metric from the test confusion matrix <paramref name="counts"/>.</summary>
    public static TestEvaluation ForClassifier(Objective objective, double loss, IReadOnlyList<string> classes, int[][] counts)
    {
        var confusion = new ConfusionMatrix(counts);
        return new TestEvaluation(ClassificationMetrics.Accuracy(confusion), loss, classes, counts, (int)confusion.Total, objective.Metric.Name,
            objective.Score(confusion), ClassificationMetrics.MacroF1(confusion),
            objective.CostMatrix is { } cost ? ClassificationMetrics.ExpectedCost(confusion, cost) : null, ClassTestScores.From(confusion, classes));
    }
}

/// <summary>One class's test scores.</summary>
public sealed record ClassTestScores(string Name, double Precision, double Recall, double F1, int Support)
{
    /// <summary>Each class's scores from <paramref name="confusion"/>, named from <paramref name="classes"/> (same order).</summary>
    public static IReadOnlyList<ClassTestScores> From(ConfusionMatrix confusion, IReadOnlyList<string> classes) =>
        [.. ClassificationMetrics.PerClass(confusion).Select((s, i) => new ClassTestScores(classes[i], s.Precision, s.Recall, s.F1, s.Support))];
}

/// <summary>The priorities an admin can give a search, by name.</summary>
public static class SearchPriorities
{
    public const int Low = -1, Normal = 0, High = 1;

    public static string Name(int priority) => priority switch { < 0 => "low", 0 => "normal", _ => "high" };

    public static int Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "low" => Low,
        "normal" => Normal,
        "high" => High,
        _ => throw new UserInputException("Unknown priority", $"'{name}' is not a priority. Use low, normal or high."),
    };
}
