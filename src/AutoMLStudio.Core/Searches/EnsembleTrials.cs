using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Devices;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Engine.Ensembles;
using AutoMLStudio.Engine.Learners;
using AutoMLStudio.Engine.Metrics;
using AutoMLStudio.Engine.Training;
using Microsoft.Extensions.Logging;

namespace AutoMLStudio.Core.Searches;

/// <summary>
/// The ensemble candidate of a row search's ending: the best finished trials' validation predictions combined by greedy
/// ensemble selection (<see cref="GreedyEnsembleSelection"/>), stored as one more completed trial when it beats the best
/// single trial on validation and fits the search's limits. Its configuration names its members and weights
/// (<see cref="EnsembleLearner"/>), its weights file bundles theirs, so it is registered, exported and served like any trial.
/// </summary>
public sealed class EnsembleTrials(StudioDbContext db, IArtifactStore store, RowSearchDataStore rows, RowTrials rowTrials, StudioDevices devices,
    ISearchEventPublisher events, TimeProvider clock, ILogger<EnsembleTrials> logger)
{
    /// <summary>The best trials the selection picks from, as AutoGluon's library: more adds time, rarely a member.</summary>
    public const int LibrarySize = 20;

    /// <summary><paramref name="trials"/>, with the ensemble added when one is made; running it again adds none.</summary>
    public async Task<IReadOnlyList<Trial>> AddAsync(Search search, IReadOnlyList<Trial> trials, CancellationToken ct)
    {
        try
        {
            return await BuildAsync(search, trials, ct);
        }
        // The search has its trials and a best one; an ensemble that cannot be made (a member's weights unreadable, a graph
        // that does not merge) must not fail its ending.
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Search {SearchId}: no ensemble could be built", search.Id);
            return trials;
        }
    }

    private async Task<IReadOnlyList<Trial>> BuildAsync(Search search, IReadOnlyList<Trial> trials, CancellationToken ct)
    {
        if (trials.Any(t => t.InheritedFromSearchId is null && RowTrials.IsEnsemble(t))) return trials;
        var data = rows.Load(search.Id);
        var profile = RowTrials.Profile(search, data);
        if (!EnsembleLearner.Combines(profile)) return trials;

        var metric = search.MetricDefinition();
        var library = trials
            .Where(t => t.Status == TrialStatus.Completed && t.ValMetric is not null && !RowTrials.IsEnsemble(t) && File.Exists(Weights(t)))
            .OrderByDescending(t => metric.Maximised(t.ValMetric!.Value)).ThenBy(t => t.ValLoss ?? double.MaxValue).ThenBy(t => t.Number)
            .Take(LibrarySize).ToList();
        if (library.Count < 2) return trials;

        logger.LogInformation("Search {SearchId}: building an ensemble of the best {Count} trials", search.Id, library.Count);
        var validation = data.Examples(data.Validation);
        var device = devices.TorchDeviceFor(search.Queue);
        var evaluations = library.Select(t => RowTrials.LearnerOf(t.ConfigJson, search.Task).Evaluate(t.ConfigJson, Weights(t), profile, validation, device))
            .ToList();
        var targets = validation.Targets;
        var scoring = targets.Task == PredictionTask.Regression
            ? EnsembleScoring.Regression(targets.Values, search.Metric)
            : EnsembleScoring.Classifier(targets.Labels, targets.ClassCount, search.EngineObjective());
        var selection = GreedyEnsembleSelection.Select([.. evaluations.Select(e => new ModelPredictions(e.Probabilities, e.Predictions))], scoring);
        var members = selection.Members;
        // The ensemble must beat the best single trial as the search ranks trials, by the value stored on its row.
        if (members.Count < 2 || !scoring.IsBetterMetric(selection.Score.Metric, library[0].ValMetric!.Value)
                              || !scoring.IsBetterMetric(selection.Score.Metric, selection.BestSingle.Score.Metric))
        {
            logger.LogInformation("Search {SearchId}: no ensemble beats the best trial on validation ({Metric} {Value})", search.Id, search.Metric,
                library[0].ValMetric);
            return trials;
        }

        var ensemble = await StoreAsync(search, trials, [.. members.Select(i => (library[i], selection.Weights[i], evaluations[i]))], selection.Score.Metric,
            targets, profile.Plan?.Target, ct);
        return ensemble is null ? trials : [.. trials, ensemble];
    }

    private async Task<Trial?> StoreAsync(Search search, IReadOnlyList<Trial> trials, IReadOnlyList<(Trial Trial, double Weight, SupervisedEvaluation Evaluation)> members,
        double valMetric, SupervisedTargets targets, StandardScaling? target, CancellationToken ct)
    {
        var latencies = members.Select(m => m.Trial.LatencyMs ?? rowTrials.LatencyMs(m.Trial.ConfigJson, search)).ToList();
        var trial = new Trial
        {
            SearchId = search.Id,
            Number = trials.Max(t => t.Number) + 1,
            Status = TrialStatus.Completed,
            ConfigJson = EnsembleLearner.StoredConfiguration([.. members.Select(m =>
                (m.Trial.Number, RowTrials.LearnerOf(m.Trial.ConfigJson, search.Task).Name, m.Trial.ConfigJson, m.Weight))]),
            ValMetric = valMetric,
            Params = members.Sum(m => m.Trial.Params),
            Flops = members.All(m => m.Trial.Flops is not null) ? members.Sum(m => m.Trial.Flops!.Value) : null,
            LatencyMs = latencies.Sum(),
            Device = search.Queue,
            Queue = search.Queue,
        };
        if (LimitBroken(trial, search.Objective.Constraints) is { } broken)
        {
            logger.LogInformation("Search {SearchId}: the ensemble of trials {Members} is left out: {Reason}", search.Id,
                string.Join(", ", members.Select(m => m.Trial.Number)), broken);
            return null;
        }
        var combined = EnsembleLearner.Combine([.. members.Select(m => m.Evaluation)], [.. members.Select(m => m.Weight)], targets, target);
        trial.ValLoss = combined.Loss;
        trial.ValConfusion = combined.ConfusionMatrix is { } counts ? new ConfusionMatrix(counts) : null;

        // The bundle is written before the row that points to it, so a stored ensemble always has its weights.
        var folder = store.FullPath(ArtifactPaths.TrialCheckpoints(search.Id, trial.Id));
        Directory.CreateDirectory(folder);
        var bundle = Path.Combine(folder, ImageClassifierTrainer.BestWeightsFile);
        EnsembleBundle.Write(bundle, [.. members.Select(m => Weights(m.Trial))]);
        // Merged once here, so an ensemble whose members' graphs do not merge is never offered for registering.
        LearnerCatalog.Named(EnsembleLearner.LearnerName).ExportOnnx(trial.ConfigJson, bundle, target);
        trial.StartedAt = trial.CompletedAt = clock.GetUtcNow();
        db.Trials.Add(trial);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Search {SearchId}: ensemble trial {Number} ({TrialId}) of trials {Members}, validation {Metric} {Value}", search.Id, trial.Number,
            trial.Id, string.Join(", ", members.Select(m => m.Trial.Number)), search.Metric, valMetric);
        await events.PublishAsync(new TrialCompleted(search.Id, trial.Id, trial.Number, "completed", trial.ValMetric, trial.Params, null));
        return trial;
    }

    private string Weights(Trial trial) => Path.Combine(store.FullPath(trial.Checkpoints()), ImageClassifierTrainer.BestWeightsFile);

    private static string? LimitBroken(Trial trial, ConstraintsRequest? constraints) => constraints switch
    {
        { MaxParams: { } max } when trial.Params > max => $"over the parameter limit ({trial.Params:N0} > {max:N0})",
        { MaxFlops: { } max } when trial.Flops is not { } flops || flops > max => $"over the FLOP limit ({trial.Flops:N0} > {max:N0})",
        { MaxLatencyMs: { } max } when trial.LatencyMs > max => $"over the latency limit ({trial.LatencyMs:0.##} ms > {max:0.##} ms)",
        _ => null,
    };
}
