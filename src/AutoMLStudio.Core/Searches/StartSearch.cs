using System.Text.Json;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Devices;
using AutoMLStudio.Core.Searches.Pipelines;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Engine.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Core.Searches;

public sealed record StartSearchRequest(
    Guid DatasetId, string? Task, ObjectiveRequest? Objective, BudgetRequest? Budget, string? Algorithm, int? Seed,
    Guid? DatasetVersionId = null, StartFromRequest? StartFrom = null, bool? IncludeSuggestions = null, bool? UsePretrained = null);

/// <summary>A registered image model a search starts from: its newest version unless <paramref name="Version"/> names one.</summary>
public sealed record StartFromRequest(Guid ModelId, int? Version = null);

/// <param name="Metric">accuracy, macro_f1 or cost (lower is better).</param>
/// <param name="CostMatrix">For cost only: costMatrix[true class][predicted class], classes in ordinal order of their names.</param>
/// <param name="TradeOff">Multi-objective mode: "params" or "latency" to keep the Pareto front of the metric against it.</param>
public sealed record ObjectiveRequest(string? Metric, double[]?[]? CostMatrix, ConstraintsRequest? Constraints, string? TradeOff = null);

public sealed record ConstraintsRequest(long? MaxParams, long? MaxFlops, double? MaxLatencyMs);

public sealed record BudgetRequest(int? MaxTrials, double? MaxMinutes, int? MaxEpochsPerTrial);

/// <summary>
/// Checks a search request against the dataset, records the search and queues its first step. The search trains on a
/// dataset version: the one asked for, or a new one of the current labels split with the search's seed.
/// </summary>
public sealed class StartSearch(
    StudioDbContext db, IBackgroundJobs jobs, DeviceInventory inventory, CreateDatasetVersion createVersion, IOptions<StudioOptions> options,
    IArtifactStore store, BudgetPlan budgetPlan, ILogger<StartSearch> logger)
{
    public static readonly IReadOnlyList<string> SupportedMetrics = [.. MetricCatalog.Classification.Select(m => m.Name)];

    /// <param name="parentSearchId">Set by <see cref="RefineSearch"/>: the search whose trials this one carries over.</param>
    public async Task<Search> HandleAsync(StartSearchRequest request, string? userId, CancellationToken ct, Guid? parentSearchId = null)
    {
        var dataset = await db.Datasets.AsNoTracking().SingleOrDefaultAsync(d => d.Id == request.DatasetId, ct)
                      ?? throw UserInputException.NotFound("Dataset", request.DatasetId);
        if (dataset.Status != DatasetStatus.Ready)
            throw new UserInputException("Dataset not ready",
                dataset.Status == DatasetStatus.Importing
                    ? "The dataset is still being imported. Wait until its status is 'ready', then start the search."
                    : $"The dataset's import failed ({dataset.Error}). Upload the data again.", 409);

        var task = SearchTasks.Resolve(request.Task, dataset);
        var metrics = SearchTasks.MetricsFor(task);
        var metric = metrics.FirstOrDefault(m => m == MetricCatalog.Find(request.Objective?.Metric ?? metrics[0].Name))
                     ?? throw new UserInputException("Metric not available",
                         $"'{request.Objective?.Metric}' is not a metric this version can optimise for {task.Name()}. Use one of: {string.Join(", ", metrics.Select(m => m.Name))}.");
        StrategyChoices.CheckFits(task, request.Algorithm);
        var costMatrix = request.Objective?.CostMatrix;
        if (metric.NeedsCostMatrix && costMatrix is null)
            throw new UserInputException("Cost matrix missing",
                "The metric 'cost' needs 'costMatrix': what each kind of mistake costs, costMatrix[true class][predicted class].");
        if (!metric.NeedsCostMatrix && costMatrix is not null)
            throw new UserInputException("Cost matrix not used",
                $"A 'costMatrix' only goes with the metric 'cost', but the metric is '{metric.Name}'. Set the metric to 'cost', or remove 'costMatrix'.");
        if (request.Objective?.Constraints is { MaxParams: <= 0 } or { MaxFlops: <= 0 })
            throw new UserInputException("Invalid constraint", "'maxParams' and 'maxFlops' must be positive numbers.");
        if (request.Objective?.Constraints?.MaxLatencyMs is { } maxLatency && !(maxLatency > 0 && double.IsFinite(maxLatency)))
            throw new UserInputException("Invalid constraint",
                "'maxLatencyMs' must be a positive number of milliseconds (one prediction at batch size 1 on the search's device).");
        if (request.Objective?.TradeOff is { } tradeOff && !TradeOffs.Names.Contains(tradeOff))
            throw new UserInputException("Invalid trade-off",
                $"'{tradeOff}' is not something a search can trade accuracy against. Use one of: {string.Join(", ", TradeOffs.Names)}, or leave 'tradeOff' out.");

        var algorithm = (request.Algorithm ?? "auto").ToLowerInvariant();
        if (!StrategyChoices.Supported.Contains(algorithm))
            throw new UserInputException("Algorithm not available",
                $"'{request.Algorithm}' is not a search algorithm this version has. Use one of: {string.Join(", ", StrategyChoices.Supported)}.");

        var maxTrials = request.Budget?.MaxTrials;
        var maxEpochs = request.Budget?.MaxEpochsPerTrial;
        BudgetPlan.Check(maxTrials, request.Budget?.MaxMinutes, maxEpochs);
        // No hidden limits: only what the person set applies; the minutes always do, from the data's size when not set.
        var profile = await budgetPlan.ProfileAsync(dataset, task, ct) with { Slots = options.Value.Training.SlotsFor(request.Seed is not null) };
        var maxMinutes = BudgetPlan.MinutesFor(profile, request.Budget?.MaxMinutes, maxTrials);
        var plan = BudgetPlan.Estimate(profile, maxMinutes, maxTrials, maxEpochs);
        var expectedTrials = maxTrials ?? plan.ExpectedTrials;

        StartingModel? startingModel = null;
        if (request.StartFrom is { } startFrom)
        {
            startingModel = await StartingModel.LoadAsync(db, store, await StartingModel.FindVersionAsync(db, startFrom.ModelId, startFrom.Version, ct), ct);
            startingModel.CheckFits(dataset);
            if (algorithm is not ("auto" or "random"))
                throw new UserInputException("Algorithm not available",
                    $"A search that starts from a model keeps its network and tunes how it is trained, which random search covers; use 'auto' or 'random' instead of '{request.Algorithm}'.");
        }

        var choice = StrategyChoices.For(algorithm, expectedTrials, plan.EpochsPerTrial, startingModel);

        var seed = request.Seed ?? Random.Shared.Next(1, int.MaxValue);
        Guid versionId;
        if (request.DatasetVersionId is { } requested)
        {
            if (!await db.DatasetVersions.AnyAsync(v => v.Id == requested && v.DatasetId == dataset.Id, ct))
                throw new UserInputException("Dataset version not found",
                    $"Dataset {dataset.Id} has no version with id {requested}. List the dataset's versions, or leave 'datasetVersionId' out to train on the current labels.", 404);
            var classes = CheckLabels(task, await db.DatasetVersionItems.Where(i => i.VersionId == requested)
                .GroupBy(i => i.Label).Select(g => new ClassCount(g.Key, g.Count())).ToListAsync(ct));
            if (costMatrix is not null) CheckCostMatrix(costMatrix, classes);
            versionId = requested;
        }
        else
        {
            var classes = CheckLabels(task, await db.DatasetItems.Where(i => i.DatasetId == dataset.Id && i.Label != null)
                .GroupBy(i => i.Label!).Select(g => new ClassCount(g.Key, g.Count())).ToListAsync(ct));
            if (costMatrix is not null) CheckCostMatrix(costMatrix, classes);
            versionId = (await createVersion.HandleAsync(new CreateDatasetVersionRequest(dataset.Id, seed, Note: "Created for a search", UserId: userId,
                IncludeSuggestions: request.IncludeSuggestions == true), ct)).Id;
        }

        var search = new Search
        {
            DatasetId = dataset.Id,
            Task = task,
            Metric = metric.Name,
            Algorithm = WireNames<SearchAlgorithm>.Parse(choice.Strategy),
            Scheduler = WireNames<SearchScheduler>.Parse(choice.Scheduler),
            AlgorithmReason = choice.Reason,
            DatasetVersionId = versionId,
            Seed = seed,
            Reproducible = request.Seed is not null,
            MaxTrials = maxTrials,
            MaxMinutes = maxMinutes,
            MaxEpochsPerTrial = maxEpochs,
            PlannedEpochsPerTrial = plan.EpochsPerTrial,
            PlannedTrials = plan.ExpectedTrials,
            PlannedSecondsPerTrial = plan.SecondsPerTrial,
            Objective = (request.Objective ?? new ObjectiveRequest(null, null, null)) with { Metric = metric.Name },
            Queue = await inventory.HomeQueueAsync(ct),
            CreatedBy = userId,
            ParentSearchId = parentSearchId,
            StartFromModelVersionId = startingModel?.VersionId,
            UsePretrained = request.UsePretrained != false,
        };
        db.Searches.Add(search);
        await db.SaveChangesAsync(ct);
        jobs.EnqueueSearchStep(search.Id);
        logger.LogInformation("Search {SearchId} on dataset {DatasetId} queued ({MaxTrials} trials, {MaxMinutes} min, about {Expected} trials of {Epochs} epochs planned)",
            search.Id, dataset.Id, maxTrials?.ToString() ?? "no limit on", maxMinutes, plan.ExpectedTrials, plan.EpochsPerTrial);
        return search;
    }

    private sealed record ClassCount(string Label, int Count);

    /// <summary>Regression needs enough rows with a number; classification enough classes with enough items (see <see cref="CheckClasses"/>).</summary>
    private static IReadOnlyList<string> CheckLabels(SearchTask task, IReadOnlyList<ClassCount> classCounts)
    {
        if (!SearchTasks.IsRegression(task)) return CheckClasses(classCounts);
        SearchTasks.CheckRegressionRows(classCounts.Sum(c => c.Count));
        return [];
    }

    /// <summary>Checks that there are enough classes with enough items; returns the class names in label-index order.</summary>
    private static IReadOnlyList<string> CheckClasses(IReadOnlyList<ClassCount> classCounts)
    {
        if (classCounts.Count < 2)
            throw new UserInputException("Not enough classes",
                "Training needs labeled items of at least two classes. Add another class or label more items.", 409);
        var tooSmall = classCounts.Where(c => c.Count < 3).Select(c => c.Label).Order(StringComparer.Ordinal).ToList();
        if (tooSmall.Count > 0)
            throw new UserInputException("Classes too small",
                $"Each class needs at least 3 labeled items so that training, validation and testing each get one. Too small: {string.Join(", ", tooSmall)}.", 409);
        // The same order SearchDataStore gives the label indices, so costMatrix[i][j] means these classes.
        return [.. classCounts.Select(c => c.Label).Order(StringComparer.Ordinal)];
    }

    private static void CheckCostMatrix(double[]?[] costMatrix, IReadOnlyList<string> classes)
    {
        var problem = Objective.CostMatrixProblem(costMatrix, classes.Count);
        if (problem is not null)
            throw new UserInputException("Invalid cost matrix",
                $"{problem} The cost matrix is {classes.Count}x{classes.Count}: costMatrix[true class][predicted class], rows and columns "
                + $"in this class order: {string.Join(", ", classes)}. The diagonal (correct answers) is usually 0.");
    }
}
