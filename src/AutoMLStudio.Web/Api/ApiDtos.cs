using System.Globalization;
using System.Text.Json;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Searches;

namespace AutoMLStudio.Web.Api;

public sealed record ClassCountDto(string Name, int Count);

/// <summary>
/// The quality report. <see cref="Warnings"/> keeps the plain sentences older clients read; <see cref="Details"/> has
/// each warning with its code, severity, message and action. <see cref="ComputedAt"/> is null until the full report
/// (duplicates, histograms, columns) has been computed; until then only the class and skipped-file checks are there.
/// <see cref="SkippedFiles"/> counts every skipped file or row; <see cref="SkippedDetails"/> lists the first of them with
/// their reasons, so a client shows "and N more" from the difference.
/// </summary>
public sealed record DatasetQualityDto(
    int SkippedFiles, IReadOnlyList<ImportIssue> SkippedDetails, double? ImbalanceRatio, IReadOnlyList<string> Warnings,
    IReadOnlyList<QualityWarning> Details, DateTimeOffset? ComputedAt, IReadOnlyList<ClassQuality> Classes,
    DuplicateSection ExactDuplicates, DuplicateSection NearDuplicates, ImageQuality? Images, TabularQuality? Tabular);

/// <param name="IncludeSuggestions">Also freeze unlabeled items with a model's suggested label, in the training split only.</param>
public sealed record CreateVersionBody(int? Seed, double? ValidationFraction, double? TestFraction, string? Note, bool? IncludeSuggestions = null);

public sealed record DatasetVersionDto(
    Guid Id, Guid DatasetId, int Number, int Seed, double ValidationFraction, double TestFraction, int ItemCount,
    IReadOnlyList<SplitCount> Splits, string? Note, DateTimeOffset CreatedAt, string ExportUrl);

/// <summary>A table's column: type as inferred and as used, missing cells, and role (label, text, feature, ignored).</summary>
public sealed record ColumnDto(string Name, string InferredType, string Type, int Missing, string Role);

public sealed record DatasetDto(
    Guid Id, string Name, string Kind, string Status, string? Error, double ImportProgress, int ItemCount, int LabeledCount,
    IReadOnlyList<ClassCountDto> Classes, DatasetQualityDto Quality, DateTimeOffset CreatedAt,
    string Source, string? Task, string? LabelColumn, string? TextColumn, IReadOnlyList<ColumnDto> Columns);

public sealed record FromFolderRequest(string? Name, string? Path);

public sealed record SchemaRequest(string? LabelColumn, string? Task, Dictionary<string, string>? ColumnTypes);

/// <param name="SuggestedLabel">A model's suggestion for an unlabeled item; a label only once a person confirms it.</param>
/// <param name="SuggestionRank">The item's place in the labeling order of the last suggestion run (0 first).</param>
public sealed record ItemDto(Guid Id, string? Label, string OriginalName, int Width, int Height, string? ThumbnailUrl, int Revision,
    string? LabeledBy, DateTimeOffset? LabeledAt, string? SuggestedLabel = null, double? SuggestedConfidence = null, int? SuggestionRank = null,
    string? SuggestionWhy = null);

/// <summary>A model's pass over a dataset's unlabeled items: status queued, running, completed or failed; done of total items.</summary>
public sealed record SuggestionRunDto(Guid Id, Guid DatasetId, Guid ModelVersionId, string ModelName, string Status, string Strategy, int Seed,
    int Total, int Done, string? Error, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt)
{
    public static SuggestionRunDto From(Core.Suggestions.SuggestionRunView r) => new(r.Id, r.DatasetId, r.ModelVersionId, r.ModelName,
        r.Status.ToString().ToLowerInvariant(), r.Strategy, r.Seed, r.Total, r.Done, r.Error, r.CreatedAt, r.CompletedAt);
}

public sealed record ConfirmSuggestionsBody(IReadOnlyList<Guid>? ItemIds);

public sealed record ItemPageDto(int Total, IReadOnlyList<ItemDto> Items);

/// <summary>A label change; <see cref="ExpectedRevision"/> is the item's revision the client last saw.</summary>
public sealed record LabelRequest(string? Label, int? ExpectedRevision = null);

/// <param name="MaxTrials">The trial limit the person set; null: none.</param>
/// <param name="MaxMinutes">The time limit: the person's, or the default from the data's size.</param>
/// <param name="MaxEpochsPerTrial">The epoch limit the person set; null: the search plans epochs (see plan).</param>
public sealed record BudgetDto(int? MaxTrials, double MaxMinutes, int? MaxEpochsPerTrial);

/// <summary>What the search derived from the data's size and the budget (not limits anyone set).</summary>
public sealed record PlanDto(int EpochsPerTrial, int ExpectedTrials, double SecondsPerTrial, bool Measured);

/// <param name="Code">minutes, trials, converged, cancelled, failed or nothing_fits.</param>
/// <param name="Message">The reason in words.</param>
public sealed record EndReasonDto(string Code, string Message);

/// <param name="Pruned">Trials early stopping ended.</param>
/// <param name="ByEpoch">How many stopped after each epoch (keys are epoch numbers).</param>
public sealed record EarlyStoppingDto(int Pruned, IReadOnlyDictionary<string, int> ByEpoch);

/// <summary>What a budget buys on a dataset, before Start.</summary>
/// <param name="DefaultMinutes">The minutes a search gets when no limit is set (from the data's size).</param>
/// <param name="MaxMinutes">The minutes this budget runs for.</param>
/// <param name="EpochsPerTrial">Epochs each trial would train.</param>
/// <param name="ExpectedTrials">Full trials the minutes buy (early stopping buys more).</param>
/// <param name="SecondsPerTrial">Expected seconds of one full trial.</param>
/// <param name="Summary">The same in a sentence.</param>
public sealed record BudgetEstimateDto(double DefaultMinutes, double MaxMinutes, int EpochsPerTrial, int ExpectedTrials, double SecondsPerTrial, string Summary);

/// <param name="Test">The held-out test evaluation; null until the search completes.</param>
public sealed record BestTrialDto(Guid TrialId, int Number, double? ValMetric, double? TestAccuracy, long Params, long? Flops,
    IReadOnlyList<string> Classes, int[][]? ConfusionMatrix, TestEvaluationDto? Test);

/// <param name="Metric">The search's metric.</param>
/// <param name="Value">The metric on the test split (cost: expected cost per item, lower is better).</param>
/// <param name="Cost">Expected cost per item (image, row or text) under the search's cost matrix; null without one.</param>
/// <param name="PerClass">Precision, recall, F1 and support per class, in <paramref name="Classes"/> order.</param>
/// <param name="ConfusionMatrix">Counts [true class][predicted class].</param>
/// <param name="Rmse">Regression: root mean squared error in the label's units.</param>
/// <param name="Mae">Regression: mean absolute error in the label's units.</param>
public sealed record TestEvaluationDto(string Metric, double? Value, double Accuracy, double? MacroF1, double? Cost, double Loss, int Count,
    IReadOnlyList<string> Classes, IReadOnlyList<ClassTestScores> PerClass, int[][] ConfusionMatrix, double? Rmse = null, double? Mae = null);

public sealed record SearchDto(
    Guid Id, Guid DatasetId, string Status, string Metric, string Algorithm, int Seed, BudgetDto Budget, int TrialsTotal,
    int TrialsCompleted, Guid? BestTrialId, BestTrialDto? Best, string? Error, string Queue,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt, Guid? DatasetVersionId,
    string Scheduler, string? AlgorithmReason, int TrialsPruned, int TrialsFailed, string? TradeOff = null,
    IReadOnlyList<ParetoPointDto>? ParetoFront = null, string MetricDirection = "higher_is_better", Guid? ParentSearchId = null,
    FinalRetrainDto? FinalRetrain = null, string Priority = "normal", Guid? StartFromModelVersionId = null, bool UsePretrained = false,
    PlanDto? Plan = null, EndReasonDto? EndReason = null, EarlyStoppingDto? EarlyStopping = null);

/// <param name="State">retraining, done or skipped.</param>
/// <param name="Epochs">Epochs of the retrain on train+validation (the best trial's best epoch).</param>
/// <param name="Reason">Why it was retrained or skipped.</param>
public sealed record FinalRetrainDto(Guid TrialId, string State, int Epochs, string Reason);

/// <summary>A test example the search's final model got wrong.</summary>
/// <param name="TrueLabel">The label in the dataset version the search trained and tested on.</param>
/// <param name="Confidence">Probability (0 to 1) the model gave <paramref name="PredictedLabel"/>.</param>
/// <param name="TrueLabelProbability">Probability the model gave <paramref name="TrueLabel"/>.</param>
/// <param name="CurrentLabel">The item's label now (changed when someone fixed it since); null when unlabeled or deleted.</param>
/// <param name="ThumbnailUrl">The image's thumbnail; null for table rows, texts and deleted items.</param>
/// <param name="Snippet">Table rows and texts: the row's cells or the text's start.</param>
/// <param name="LabelingUrl">The studio's labeling page with this item selected, to fix its label; null when deleted.</param>
public sealed record MisclassifiedDto(
    Guid ItemId, Guid DatasetId, string TrueLabel, string PredictedLabel, double Confidence, double TrueLabelProbability,
    string? CurrentLabel, string? OriginalName, string? ThumbnailUrl, string? Snippet, string? LabelingUrl);

/// <param name="Total">Misclassified test examples in all.</param>
/// <param name="TestCount">Test examples in all.</param>
public sealed record MisclassifiedPageDto(int Total, int TestCount, int Offset, int Limit, IReadOnlyList<MisclassifiedDto> Items);

/// <summary>Where a carried-over trial came from: the refined search and the trial's number there.</summary>
public sealed record InheritedFromDto(Guid SearchId, int TrialNumber);

/// <summary>A completed trial on the Pareto front of a multi-objective search.</summary>
public sealed record ParetoPointDto(Guid TrialId, int Number, double? ValMetric, long Params, double? LatencyMs);

/// <summary>Hyperparameter importance of a search (GET /searches/{id}/importance).</summary>
/// <param name="Status">estimated, too_few_trials or metric_constant.</param>
/// <param name="TrialsUsed">Completed trials whose settings fit the search space.</param>
/// <param name="MainEffectsShare">The parameters' shares summed; null unless estimated.</param>
/// <param name="Parameters">Every parameter with its share (0 to 1), largest first; empty unless estimated.</param>
public sealed record ImportanceDto(string Metric, string Status, int TrialsUsed, int MinimumTrials, double? MainEffectsShare,
    IReadOnlyList<ParameterImportance> Parameters);

/// <summary>One hyperparameter's share of the variance of the metric.</summary>
/// <param name="Varied">False when every trial used the same value.</param>
public sealed record ParameterImportance(string Name, double Share, bool Varied);

public sealed record EpochDto(int Epoch, double TrainLoss, double ValLoss, double ValMetric, double Seconds);

/// <param name="ValAccuracy">Best validation accuracy; null when the search optimises another metric.</param>
/// <param name="ValMetric">Best validation value of the search's metric (for cost, the lowest).</param>
/// <param name="ValConfusionMatrix">Validation counts [true][predicted] at that epoch, for scoring the trial again under another objective.</param>
public sealed record TrialMetricsDto(double? ValAccuracy, double? ValLoss, double? ValMetric, int[][]? ValConfusionMatrix);

public sealed record TrialDto(
    Guid Id, int Number, string Status, JsonElement Config, TrialMetricsDto Metrics, long Params, long? Flops, double? LatencyMs,
    string? Device, string? Error, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt, IReadOnlyList<EpochDto> Epochs,
    bool? OnParetoFront = null, InheritedFromDto? InheritedFrom = null, string? Queue = null, long? MemoryBytes = null);

/// <param name="Trials">The compared trials, in number order.</param>
/// <param name="Settings">Every setting of their configurations, with one value per trial in the order of <paramref name="Trials"/>.</param>
public sealed record TrialComparisonDto(Guid SearchId, string Metric, IReadOnlyList<ComparedTrialDto> Trials, IReadOnlyList<ComparedSettingDto> Settings);

public sealed record ComparedTrialDto(Guid Id, int Number, string Status, double? ValMetric, long Params, long? Flops, double? LatencyMs);

/// <param name="Group">network or training.</param>
/// <param name="Values">One per compared trial; null where that trial has no such setting.</param>
/// <param name="Differs">The values are not all the same.</param>
public sealed record ComparedSettingDto(string Group, string Name, IReadOnlyList<string?> Values, bool Differs);

public sealed record RegisterModelBody(Guid TrialId, string? Name);

public sealed record RegisteredDto(Guid Id, string Name, int Version, Guid VersionId);

/// <param name="Stage">none, staging, production or archived.</param>
public sealed record ModelVersionDto(int Version, Guid VersionId, Guid TrialId, Guid SearchId, Guid DatasetId, string WeightsSha256,
    DateTimeOffset CreatedAt, JsonElement Card, string Task, string Stage, string? OnnxSha256, string? CreatedBy);

public sealed record UpdateModelVersionBody(string? Stage, string? IntendedUse, string? Notes);

public sealed record ModelDto(Guid Id, string Name, int LatestVersion, DateTimeOffset CreatedAt, IReadOnlyList<ModelVersionDto> Versions);

/// <summary>
/// A device of one node. State: active, paused (running trials go back to the queue, none start) or draining (running
/// trials finish, none start). Busy counts the trials training on it there (listed in running); waiting counts the trials
/// queued for its queue on any node. freeMemoryBytes and utilizationPercent are the node's last reading (0 and null when unknown).
/// </summary>
public sealed record DeviceDto(string Id, string Name, long MemoryBytes, int Slots, int Busy, string Queue, string State,
    string Node, long FreeMemoryBytes, int? UtilizationPercent, int Waiting, IReadOnlyList<DeviceTrialDto> Running, DateTimeOffset SeenAt);

/// <summary>A queued or running trial with its search, dataset, owner, priority (low, normal, high) and estimated memory.</summary>
public sealed record DeviceTrialDto(Guid TrialId, Guid SearchId, int Number, string Status, string Queue, string? Device, string? Node,
    string DatasetName, string? Owner, string Priority, long? MemoryBytes, DateTimeOffset CreatedAt)
{
    public static DeviceTrialDto From(Core.Devices.DeviceTrial t) => new(t.TrialId, t.SearchId, t.Number, t.Status, t.Queue, t.Device, t.Node,
        t.DatasetName, t.Owner, Core.Searches.SearchPriorities.Name(t.Priority), t.MemoryBytes, t.CreatedAt);
}

/// <summary>Addresses of an item, shared by the API's answers and the pages that link to it.</summary>
public static class ItemUrls
{
    public static string Thumbnail(Guid datasetId, Guid itemId) => $"/api/v1/datasets/{datasetId}/items/{itemId}/thumbnail";

    /// <summary>The labeling page with one item selected; <paramref name="searchId"/> gives it a way back to that search.</summary>
    public static string Labeling(Guid datasetId, Guid itemId, Guid? searchId = null) =>
        $"/datasets/{datasetId}/label?item={itemId}" + (searchId is { } s ? $"&search={s}" : "");
}

public static class ApiMapping
{
    public static string Lower<T>(this T value) where T : Enum => value.ToString().ToLowerInvariant();

    public static MisclassifiedDto ToDto(this MisclassifiedExample m, Guid searchId) =>
        new(m.ItemId, m.DatasetId, m.TrueLabel, m.PredictedLabel, m.Confidence, m.TrueLabelProbability, m.CurrentLabel, m.Item?.OriginalName,
            m.Item is { HasImage: true } ? ItemUrls.Thumbnail(m.DatasetId, m.ItemId) : null, m.Item?.Snippet,
            m.Item is null ? null : ItemUrls.Labeling(m.DatasetId, m.ItemId, searchId));

    public static SearchDto ToDto(this SearchView s) =>
        new(s.Id, s.DatasetId, s.Status, s.Metric.Name, s.Algorithm, s.Seed, new BudgetDto(s.MaxTrials, s.MaxMinutes, s.MaxEpochsPerTrial),
            s.TrialsTotal, s.TrialsCompleted, s.BestTrialId,
            s.Best is { } best ? new BestTrialDto(best.TrialId, best.Number, best.ValMetric, best.TestAccuracy, best.Params, best.Flops, best.Classes,
                best.ConfusionMatrix, best.Test?.ToDto(s.Metric.Name)) : null,
            s.Error, s.Queue, s.CreatedAt, s.StartedAt, s.CompletedAt, s.DatasetVersionId, s.Scheduler, s.AlgorithmReason,
            s.TrialsPruned, s.TrialsFailed, s.TradeOff,
            s.ParetoFront?.Select(t => new ParetoPointDto(t.TrialId, t.Number, t.ValMetric, t.Params, t.LatencyMs)).ToList(),
            s.Metric.LowerIsBetter ? "lower_is_better" : "higher_is_better", s.ParentSearchId,
            s.FinalRetrain is { } retrain ? new FinalRetrainDto(retrain.TrialId, retrain.State, retrain.Epochs, retrain.Reason) : null,
            s.Priority, s.StartFromModelVersionId, s.UsePretrained,
            s.Plan is { } plan ? new PlanDto(plan.EpochsPerTrial, plan.ExpectedTrials, plan.SecondsPerTrial, plan.Measured) : null,
            s.EndReasonCode is { } code ? new EndReasonDto(code.Name(), s.EndReason ?? code.Name()) : null,
            s.EarlyStopping is { } stopped
                ? new EarlyStoppingDto(stopped.Pruned, stopped.ByEpoch.ToDictionary(e => e.Key.ToString(CultureInfo.InvariantCulture), e => e.Value))
                : null);

    public static BudgetEstimateDto ToDto(this BudgetEstimate e) =>
        new(e.DefaultMinutes, e.Minutes, e.EpochsPerTrial, e.ExpectedTrials, Math.Round(e.SecondsPerTrial, 1), e.Describe());

    private static TestEvaluationDto ToDto(this TestEvaluation test, string metric) =>
        new(test.Metric ?? metric, test.MetricValue, test.Accuracy, test.MacroF1, test.Cost, test.Loss, test.Count, test.Classes,
            test.PerClass ?? [], test.ConfusionMatrix, test.Rmse, test.Mae);

    public static TrialDto ToDto(this TrialSummary t) =>
        new(t.Id, t.Number, t.Status, t.Config, new TrialMetricsDto(t.ValAccuracy, t.ValLoss, t.ValMetric, t.ValConfusionMatrix),
            t.Params, t.Flops, t.LatencyMs, t.Device, t.Error, t.StartedAt, t.CompletedAt,
            [.. t.Epochs.Select(e => new EpochDto(e.Epoch, e.TrainLoss, e.ValLoss, e.ValMetric, e.Seconds))],
            t.OnParetoFront, t.InheritedFromSearchId is { } parent ? new InheritedFromDto(parent, t.InheritedFromTrialNumber ?? 0) : null,
            t.Queue, t.MemoryBytes);

    public static ImportanceDto ToDto(this SearchImportance i) =>
        new(i.Metric, i.Status, i.TrialsUsed, i.MinimumTrials, i.MainEffectsShare,
            [.. i.Parameters.Select(p => new ParameterImportance(p.Name, p.Share, p.Varied))]);

    public static TrialComparisonDto ToDto(this TrialComparison c) =>
        new(c.Search.Id, c.Search.Metric,
            [.. c.Trials.Select(t => new ComparedTrialDto(t.Id, t.Number, t.Status.Lower(), t.ValMetric, t.Params, t.Flops, t.LatencyMs))],
            [.. c.Settings.Select(s => new ComparedSettingDto(s.Group.ToLowerInvariant(), s.Name, s.Values, s.Differs))]);

    public static ModelDto ToDto(this ModelView m) =>
        new(m.Id, m.Name, m.LatestVersion, m.CreatedAt,
            m.Versions.Select(v => new ModelVersionDto(v.Version, v.Id, v.TrialId, v.SearchId, v.DatasetId,
                v.WeightsSha256, v.CreatedAt, v.Card, v.Task, v.Stage.Lower(), v.OnnxSha256,
                v.CreatedBy)).ToList());
}
