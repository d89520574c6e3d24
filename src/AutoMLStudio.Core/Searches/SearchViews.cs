using System.Text.Json;
using AutoMLStudio.Core.Searches.Pipelines;
using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Core.Searches;

/// <summary>A search as its page and the API show it: state, limits, plan, best trial and how it ended.</summary>
/// <param name="TrialsTotal">Every trial, carried-over ones included.</param>
public sealed record SearchView(
    Guid Id, Guid DatasetId, string Status, SearchMetric Metric, string Algorithm, int Seed, int? MaxTrials, double MaxMinutes,
    int? MaxEpochsPerTrial, int TrialsTotal, int TrialsCompleted, Guid? BestTrialId, BestTrialView? Best, string? Error, string Queue,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt, Guid? DatasetVersionId, string Scheduler,
    string? AlgorithmReason, int TrialsPruned, int TrialsFailed, string? TradeOff, IReadOnlyList<ParetoPointView>? ParetoFront,
    Guid? ParentSearchId, FinalRetrainState? FinalRetrain, string Priority, Guid? StartFromModelVersionId, bool UsePretrained,
    SearchPlanView? Plan, SearchEndReason? EndReasonCode, string? EndReason, EarlyStoppingSummary? EarlyStopping)
{
    /// <summary>The view of <paramref name="search"/> with <paramref name="trials"/> (those read so far; none for a search just stored).</summary>
    public static SearchView Of(Search search, IReadOnlyList<Trial> trials, EarlyStoppingSummary? stopped = null)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(trials);
        var best = trials.FirstOrDefault(t => t.Id == search.BestTrialId);
        var test = search.TestEvaluation;
        var tradeOff = search.TradeOff();
        return new SearchView(search.Id, search.DatasetId, search.Status.ToString().ToLowerInvariant(), SearchMetric.From(search.MetricDefinition()),
            search.Algorithm.Name(), search.Seed, search.MaxTrials, search.MaxMinutes, search.MaxEpochsPerTrial, trials.Count,
            trials.Count(t => t.Status == TrialStatus.Completed), search.BestTrialId,
            best is null ? null : new BestTrialView(best.Id, best.Number, best.ValMetric, test?.Rmse is null ? test?.Accuracy : null, best.Params,
                best.Flops, search.Classes, test?.ConfusionMatrix, test),
            search.Error, search.Queue, search.CreatedAt, search.StartedAt, search.CompletedAt, search.DatasetVersionId, search.Scheduler.Name(),
            search.AlgorithmReason, trials.Count(t => t.Status == TrialStatus.Pruned), trials.Count(t => t.Status == TrialStatus.Failed), tradeOff,
            tradeOff is null ? null : [.. search.ParetoFront(trials).Select(t => new ParetoPointView(t.Id, t.Number, t.ValMetric, t.Params, t.LatencyMs))],
            search.ParentSearchId, search.FinalRetrain, SearchPriorities.Name(search.Priority), search.StartFromModelVersionId, search.UsePretrained,
            search.PlannedEpochsPerTrial is { } epochs
                ? new SearchPlanView(epochs, search.MaxTrials is { } limit ? Math.Min(limit, search.PlannedTrials ?? limit) : search.PlannedTrials ?? 0,
                    Math.Round(search.PlannedSecondsPerTrial ?? 0, 1), search.PlanMeasured)
                : null,
            search.EndReasonCode, search.EndReason, stopped);
    }
}

/// <param name="TestAccuracy">Test accuracy of a classifier; null for a regression or before the test.</param>
/// <param name="Test">The held-out test evaluation; null until the search completes.</param>
public sealed record BestTrialView(Guid TrialId, int Number, double? ValMetric, double? TestAccuracy, long Params, long? Flops,
    IReadOnlyList<string> Classes, int[][]? ConfusionMatrix, TestEvaluation? Test);

/// <summary>A completed trial on the Pareto front of a multi-objective search.</summary>
public sealed record ParetoPointView(Guid TrialId, int Number, double? ValMetric, long Params, double? LatencyMs);

/// <summary>What the search derived from the data's size and the budget.</summary>
public sealed record SearchPlanView(int EpochsPerTrial, int ExpectedTrials, double SecondsPerTrial, bool Measured);

/// <summary>A search in the list of searches: its dataset, state and best validation value so far.</summary>
public sealed record SearchListEntry(Guid Id, Guid DatasetId, string DatasetName, string Status, int TrialsCompleted, int? MaxTrials,
    double? BestValue, SearchMetric Metric, DateTimeOffset CreatedAt);

/// <summary>What the search page offers for a task, decided in Core so that pages do not branch on the task.</summary>
/// <param name="Classifies">It predicts classes (so it has mistakes to show and labels to suggest), not a number.</param>
/// <param name="HeldOutItems">What its test examples are called in a sentence: "images", "rows" or "texts".</param>
public sealed record SearchTaskTraits(bool Classifies, string HeldOutItems)
{
    public static SearchTaskTraits Of(SearchTask task) => new(!SearchTasks.IsRegression(task), TaskPipelines.WordsOf(task).Items);
}

/// <summary>What the search page reads: the search, its dataset's name, what its task allows and its trials.</summary>
/// <param name="Search">The search row, read without tracking.</param>
public sealed record SearchPageData(Search Search, string? DatasetName, SearchTaskTraits Traits, IReadOnlyList<TrialView> Trials);

/// <summary>What a page names a search by: its dataset, metric, classes and what its task allows.</summary>
public sealed record SearchHeading(Guid Id, Guid DatasetId, string? DatasetName, SearchMetric Metric, IReadOnlyList<string> Classes,
    SearchTaskTraits Traits);

/// <summary>A trial's validation confusion matrix [true][predicted] at its best epoch and each class's scores from it.</summary>
public sealed record ValidationScores(int[][] ConfusionMatrix, IReadOnlyList<ClassTestScores> PerClass)
{
    /// <summary>Null until the trial has finished an epoch (or for a regression, which has no classes).</summary>
    public static ValidationScores? Of(Trial trial, IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return trial.ValConfusion is { } confusion ? new ValidationScores(confusion.ToArray(), ClassTestScores.From(confusion, classes)) : null;
    }
}

public sealed record EpochView(int Epoch, double TrainLoss, double ValLoss, double ValMetric, double Seconds);

/// <summary>A trial with its curves, its settings in words and its stored configuration.</summary>
/// <param name="Config">The configuration as the trial's learner stored it (a CNN, a tabular MLP or a text model, each its own shape).</param>
/// <param name="ValAccuracy">The best validation value when the search optimises accuracy; null otherwise.</param>
/// <param name="OnParetoFront">Whether it is on its multi-objective search's front; null outside that mode.</param>
/// <param name="Architecture">The network in words; null when the stored configuration cannot be read.</param>
public sealed record TrialSummary(
    Guid Id, int Number, string Status, JsonElement Config, double? ValAccuracy, double? ValLoss, double? ValMetric, int[][]? ValConfusionMatrix,
    long Params, long? Flops, double? LatencyMs, string? Device, string? Error, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt,
    IReadOnlyList<EpochView> Epochs, bool? OnParetoFront, Guid? InheritedFromSearchId, int? InheritedFromTrialNumber, string? Queue,
    long? MemoryBytes, string? Architecture, string? Training)
{
    /// <param name="trial">The trial, with its epochs.</param>
    /// <param name="search">Its search.</param>
    /// <param name="onParetoFront">Whether it is on its multi-objective search's front; null outside that mode.</param>
    public static TrialSummary Of(Trial trial, Search search, bool? onParetoFront = null)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(search);
        var (architecture, training) = TrialDescriptions.Describe(trial, search);
        return new TrialSummary(trial.Id, trial.Number, trial.Status.ToString().ToLowerInvariant(), TrialDescriptions.Configuration(trial, search),
            search.MetricDefinition().Name == SearchMetric.Accuracy.Name ? trial.ValMetric : null, trial.ValLoss, trial.ValMetric,
            trial.ValConfusion?.ToArray(), trial.Params, trial.Flops, trial.LatencyMs, trial.Device, trial.Error, trial.StartedAt, trial.CompletedAt,
            [.. trial.Epochs.OrderBy(e => e.Epoch).Select(e => new EpochView(e.Epoch, e.TrainLoss, e.ValLoss, e.ValMetric, e.Seconds))],
            onParetoFront, trial.InheritedFromSearchId, trial.InheritedFromTrialNumber, trial.Queue, trial.MemoryBytes, architecture, training);
    }
}

/// <summary>A trial's network and training settings in words, whichever learner stored its configuration.</summary>
public static class TrialDescriptions
{
    /// <summary>
    /// Each null when the stored configuration cannot be read: a row still shows its metrics. Without its search, a trial
    /// reads as an image trial.
    /// </summary>
    /// <summary>
    /// The configuration as the trial's learner reads it; a configuration no learner reads any more is shown as it was
    /// stored, so its row still answers.
    /// </summary>
    public static JsonElement Configuration(Trial trial, Search search)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(search);
        try
        {
            return TaskPipelines.ShapeOf(search.Task).Configuration(trial, search);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or ArgumentException)
        {
            using var stored = JsonDocument.Parse(trial.ConfigJson);
            return stored.RootElement.Clone();
        }
    }

    public static (string? Architecture, string? Training) Describe(Trial trial, Search? search)
    {
        ArgumentNullException.ThrowIfNull(trial);
        try
        {
            return TaskPipelines.ShapeOf(search?.Task ?? SearchTasks.ImageClassification).Describe(trial, search!);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or ArgumentException)
        {
            return (null, null);
        }
    }
}

/// <summary>One setting's share of the metric's variance (see <see cref="SearchImportance"/>).</summary>
/// <param name="Varied">False when every trial used the same value.</param>
public sealed record SettingImportance(string Name, double Share, bool Varied);

/// <summary>How much each hyperparameter moved a search's metric.</summary>
/// <param name="Status">estimated, too_few_trials or metric_constant.</param>
/// <param name="MainEffectsShare">The shares summed; null unless estimated.</param>
public sealed record SearchImportance(string Metric, string Status, int TrialsUsed, int MinimumTrials, double? MainEffectsShare,
    IReadOnlyList<SettingImportance> Parameters);
