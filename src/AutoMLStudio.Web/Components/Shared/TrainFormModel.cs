using AutoMLStudio.Core.Searches;

namespace AutoMLStudio.Web.Components.Shared;

/// <summary>The train form's values, checked here for quick feedback and again by StartSearch.</summary>
public sealed class TrainFormModel
{
    public string Metric { get; set; } = SearchMetric.Accuracy.Name;
    /// <summary>Optional: empty lets the search run trials until its minutes are spent (or it converges).</summary>
    public int? MaxTrials { get; set; }
    /// <summary>Prefilled with the default from the data's size (<see cref="BudgetPlan"/>) where the page knows it.</summary>
    public double MaxMinutes { get; set; } = 10;
    /// <summary>Optional: empty lets the search fit each trial's epochs to the data and the budget.</summary>
    public int? MaxEpochsPerTrial { get; set; }
    public long? MaxParams { get; set; }
    public long? MaxFlops { get; set; }
    public double? MaxLatencyMs { get; set; }
    /// <summary>Multi-objective mode (<see cref="TradeOffs"/>): what the metric is weighed against; null for the metric alone.</summary>
    public string? TradeOff { get; set; }

    /// <summary>Also train on the unconfirmed suggestions of a model (training split only).</summary>
    public bool IncludeSuggestions { get; set; }

    /// <summary>Image searches also fine-tune the imported pretrained backbones.</summary>
    public bool UsePretrained { get; set; } = true;

    /// <summary>The registered model every trial starts from (image searches); null searches new networks from scratch.</summary>
    public StartFromRequest? StartFrom { get; set; }

    /// <summary>The costs of mistakes, for the metric <c>cost</c>; made for the dataset's classes by <see cref="UseClasses"/>.</summary>
    public CostMatrixModel? CostMatrix { get; private set; }

    /// <summary>
    /// A form pre-filled with <paramref name="search"/>'s objective (metric, cost matrix, limits) and a smaller budget, for
    /// refining it: the earlier trials come along, so fewer new ones are usually enough.
    /// </summary>
    public static TrainFormModel ToRefine(Search search)
    {
        var objective = search.Objective;
        var form = new TrainFormModel
        {
            Metric = search.Metric, MaxTrials = search.MaxTrials is { } trials ? Math.Max(1, trials / 2) : null, MaxMinutes = search.MaxMinutes,
            MaxEpochsPerTrial = search.MaxEpochsPerTrial, MaxParams = objective.Constraints?.MaxParams,
            MaxFlops = objective.Constraints?.MaxFlops, MaxLatencyMs = objective.Constraints?.MaxLatencyMs, TradeOff = objective.TradeOff,
        };
        var classes = search.Classes;
        form.UseClasses(classes);
        if (objective.CostMatrix is { } costs && costs.Length == classes.Count)
        {
            for (var truth = 0; truth < classes.Count; truth++)
            for (var predicted = 0; predicted < classes.Count; predicted++)
                form.CostMatrix![truth, predicted] = costs[truth]?.ElementAtOrDefault(predicted);
        }
        return form;
    }

    public bool UsesCostMatrix => SearchMetric.Find(Metric)?.NeedsCostMatrix == true;

    /// <summary>Keeps the cost matrix the user filled in while the classes stay the same; a new class list starts a fresh one.</summary>
    public void UseClasses(IReadOnlyList<string> classes)
    {
        if (CostMatrix is null || !CostMatrix.IsFor(classes)) CostMatrix = new CostMatrixModel(classes);
    }

    /// <summary>Switches to the task's default metric when the chosen one does not apply to <paramref name="task"/>.</summary>
    public void UseMetricsOf(SearchTask task)
    {
        var metrics = SearchMetric.For(task);
        if (!metrics.Any(m => m.Name == Metric)) Metric = metrics[0].Name;
    }

    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        if (SearchMetric.Find(Metric) is null) errors[nameof(Metric)] = "Pick what the search should optimise.";
        if (MaxTrials is < 1 or > 1000) errors[nameof(MaxTrials)] = "Max trials must be between 1 and 1000. Leave it empty for no trial limit.";
        if (!(MaxMinutes > 0) || MaxMinutes > 10_000) errors[nameof(MaxMinutes)] = "Max minutes must be more than 0 and at most 10000.";
        if (MaxEpochsPerTrial is < 1 or > 500) errors[nameof(MaxEpochsPerTrial)] = "Max epochs per trial must be between 1 and 500. Leave it empty to fit epochs to the data.";
        if (MaxParams is <= 0) errors[nameof(MaxParams)] = "Max parameters must be a positive number, or left empty for no limit.";
        if (MaxFlops is <= 0) errors[nameof(MaxFlops)] = "Max FLOPs must be a positive number, or left empty for no limit.";
        if (MaxLatencyMs is { } latency && !(latency > 0 && double.IsFinite(latency)))
            errors[nameof(MaxLatencyMs)] = "Max latency must be a positive number of milliseconds, or left empty for no limit.";
        if (TradeOff is not null && !TradeOffs.Names.Contains(TradeOff)) errors[nameof(TradeOff)] = "Pick what to weigh the metric against.";
        if (UsesCostMatrix && (CostMatrix is null ? "The cost matrix needs the dataset's classes." : CostMatrix.Problem()) is { } problem)
            errors[nameof(CostMatrix)] = $"Cost of mistakes: {problem}";
        return errors;
    }

    /// <summary>The search request this form asks for on dataset <paramref name="datasetId"/>.</summary>
    public StartSearchRequest ToRequest(Guid datasetId) =>
        new(datasetId, null, Objective(), new BudgetRequest(MaxTrials, MaxMinutes, MaxEpochsPerTrial), "auto", null, StartFrom: StartFrom,
            IncludeSuggestions: IncludeSuggestions ? true : null, UsePretrained: UsePretrained ? null : false);

    /// <summary>The refine request this form asks for: its objective replaces the refined search's.</summary>
    public RefineSearchRequest ToRefineRequest() =>
        new(Objective(), new BudgetRequest(MaxTrials, MaxMinutes, MaxEpochsPerTrial), "auto");

    private ObjectiveRequest Objective()
    {
        var constraints = MaxParams is null && MaxFlops is null && MaxLatencyMs is null ? null : new ConstraintsRequest(MaxParams, MaxFlops, MaxLatencyMs);
        return new ObjectiveRequest(Metric, UsesCostMatrix ? CostMatrix?.ToArray() : null, constraints, TradeOff);
    }
}

/// <summary>A registered image model version the form offers as a starting point.</summary>
public sealed record StartingModelChoice(Guid ModelId, int Version, string Label)
{
    public string Key => $"{ModelId:N}-{Version}";
}
