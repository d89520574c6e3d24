using System.Text.Json;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Devices;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Engine.Data;
using AutoMLStudio.Engine.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Core.Searches;

/// <summary>What the end of a search did with its best configuration.</summary>
/// <param name="State">"retraining" while it runs, then "done" or "skipped".</param>
/// <param name="Epochs">Epochs of the retrain: the best trial's best epoch.</param>
/// <param name="Reason">Why it was retrained or skipped, in a sentence for the user.</param>
/// <param name="Weights">Artifact path of the retrained weights once done.</param>
public sealed record FinalRetrainState(Guid TrialId, string State, int Epochs, string Reason, string? Weights = null)
{
    public const string Retraining = "retraining";
    public const string Done = "done";
    public const string Skipped = "skipped";

    /// <summary>"train+validation, N epochs": what the retrained model learned from, for the search page and the model card.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string TrainedOn => $"train+validation, {Epochs} epoch{(Epochs == 1 ? "" : "s")}";
}

/// <summary>
/// Retrains the best trial's configuration on train+validation for its best-epoch count, with the trial's seed and no
/// validation-based selection (the weights after that epoch), when that helps: see docs/adr/0026-final-retrain-on-train-validation.md. The
/// checkpoints live in the search's final folder, so a process that dies mid-retrain resumes it on restart.
/// </summary>
public sealed class FinalRetrain(
    StudioDbContext db, IArtifactStore store, StudioDevices devices, ISearchEventPublisher events, IOptions<StudioOptions> options,
    TimeProvider clock, ILogger<FinalRetrain> logger)
{
    public const string WeightsFile = "retrained.weights";

    /// <summary>How a skip for time starts, so the search's end reason can say so.</summary>
    public const string SkippedForTime = "Skipped to stay within the budget:";

    // Train+validation over train alone with the default split: how much longer a retrain epoch takes than a trial's.
    private static readonly double RetrainScale = (1 - Datasets.CreateDatasetVersion.DefaultFraction) / (1 - 2 * Datasets.CreateDatasetVersion.DefaultFraction);

    /// <summary>
    /// Seconds to keep free at the end of an image search for the final retrain: the current best trial's time to its best
    /// epoch on train+validation, or a planned trial's before any has finished; 0 where nothing will be retrained.
    /// </summary>
    public async Task<double> ReserveSecondsAsync(Search search, IReadOnlyList<Trial> trials, CancellationToken ct)
    {
        if (options.Value.Training.FinalRetrainMaxMinutes <= 0 || search.Algorithm == SearchAlgorithm.Nac) return 0;
        if (SearchProgress.Best(search, trials) is not { InheritedFromSearchId: null } best) return (search.PlannedSecondsPerTrial ?? 0) * RetrainScale;
        var metric = search.MetricDefinition();
        var epochs = await db.EpochMetrics.AsNoTracking().Where(m => m.TrialId == best.Id).OrderBy(m => m.Epoch).ToListAsync(ct);
        if (epochs.Count == 0) return 0;
        var bestEpoch = epochs.Aggregate((a, b) => metric.IsBetter(b.ValMetric, a.ValMetric) ? b : a);
        return epochs.Where(e => e.Epoch <= bestEpoch.Epoch).Sum(e => e.Seconds) * RetrainScale;
    }

    /// <summary>Retrains or says why not, records it on <paramref name="search"/>; returns the full path of the weights to evaluate.</summary>
    public async Task<string> RunAsync(Search search, Trial best, SearchData data, CancellationToken ct)
    {
        var bestWeights = Path.Combine(store.FullPath(best.Checkpoints()), ImageClassifierTrainer.BestWeightsFile);
        var previous = search.FinalRetrain;
        if (previous is { State: FinalRetrainState.Done, Weights: { } done } && previous.TrialId == best.Id) return store.FullPath(done);

        var metric = search.MetricDefinition();
        var epochs = await db.EpochMetrics.AsNoTracking().Where(m => m.TrialId == best.Id).OrderBy(m => m.Epoch).ToListAsync(ct);
        // The earliest of the best epochs, as the trainer picked best.weights.
        var bestEpoch = epochs.Count == 0 ? null : epochs.Aggregate((a, b) => metric.IsBetter(b.ValMetric, a.ValMetric) ? b : a);
        var skip = WhyNot(search, best, bestEpoch, epochs, data);
        if (skip is not null)
        {
            await RecordAsync(search, new FinalRetrainState(best.Id, FinalRetrainState.Skipped, 0, skip), ct);
            return bestWeights;
        }

        var epochCount = bestEpoch!.Epoch;
        await RecordAsync(search, new FinalRetrainState(best.Id, FinalRetrainState.Retraining, epochCount,
            "Retraining the best model on train+validation..."), ct);
        await events.PublishAsync(new FinalRetrainStarted(search.Id, best.Id, epochCount));

        var folder = ArtifactPaths.FinalRetrain(search.Id);
        // The folder's checkpoints resume a retrain of this same trial; another trial's (the best changed after an
        // earlier ending) would be taken for this one's progress, with epochs this one never reaches.
        if (previous is not null && previous.TrialId != best.Id && Directory.Exists(store.FullPath(folder)))
            Directory.Delete(store.FullPath(folder), recursive: true);
        await TrainAsync(search, best, epochCount, data, store.FullPath(folder), ct);
        var weights = $"{folder}/{WeightsFile}";
        await AtomicFile.WriteAllBytesAsync(store.FullPath(weights),
            await File.ReadAllBytesAsync(Path.Combine(store.FullPath(folder), ImageClassifierTrainer.EpochWeightsFile(epochCount)), ct), ct);
        var retrained = new FinalRetrainState(best.Id, FinalRetrainState.Done, epochCount, "", weights);
        await RecordAsync(search, retrained with { Reason = $"Trained on {retrained.TrainedOn}." }, ct);
        logger.LogInformation("Search {SearchId}: trial {TrialId} retrained on train+validation for {Epochs} epochs", search.Id, best.Id, epochCount);
        return store.FullPath(weights);
    }

    private string? WhyNot(Search search, Trial best, EpochMetric? bestEpoch, IReadOnlyList<EpochMetric> epochs, SearchData data)
    {
        var training = options.Value.Training;
        if (training.FinalRetrainMaxMinutes <= 0) return "Retraining on train+validation is turned off.";
        if (best.InheritedFromSearchId is not null)
            return "The best trial was carried over from the refined search; it keeps the weights it was trained with.";
        if (search.Algorithm == SearchAlgorithm.Nac)
            return "NAC trials train in truncated rounds, so their epoch count does not say how long to retrain.";
        if (bestEpoch is null) return "The best trial has no recorded epochs to repeat.";
        var share = (double)data.Validation.Count / (data.Train.Count + data.Validation.Count);
        if (share < training.FinalRetrainMinValidationShare)
            return $"Validation holds only {share:P0} of the training data, too little for a retrain to help.";
        var minutes = epochs.Where(e => e.Epoch <= bestEpoch.Epoch).Sum(e => e.Seconds) / (1 - share) / 60;
        if (minutes > training.FinalRetrainMaxMinutes)
            return $"Retraining would take about {minutes:0} minutes, more than the {training.FinalRetrainMaxMinutes:0} allowed.";
        // The retrain is inside the search's minutes: a few seconds or a twentieth of the budget over is tolerated.
        var now = clock.GetUtcNow();
        var left = ((search.StartedAt ?? now).AddMinutes(search.MaxMinutes) - now).TotalSeconds;
        if (minutes * 60 > left + Math.Max(5, search.MaxMinutes * 3))
            return $"{SkippedForTime} retraining would take about {minutes * 60:0} s and {Math.Max(0, left):0} s of the search's minutes were left.";
        return null;
    }

    private async Task TrainAsync(Search search, Trial best, int epochCount, SearchData data, string folder, CancellationToken ct)
    {
        var train = data.Train;
        var trainAndValidation = new ImageTensorData([.. train.Pixels, .. data.Validation.Pixels], [.. train.Labels, .. data.Validation.Labels],
            train.Channels, train.Size);
        var config = best.Config();
        // The trainer still reports on validation each epoch (now part of the training data); nothing is selected by it.
        var request = new TrainingRequest(config with { Training = config.Training with { Epochs = epochCount } }, trainAndValidation,
            data.Validation, folder, search.Seed + best.Number, devices.TorchDeviceFor(search.Queue),
            // The search's trials are done, so the retrain has every core.
            options.Value.Training.ThreadsFor(reproducible: true), search.EngineObjective(),
            await StartingModel.InitialWeightsAsync(db, store, search, config, ct));
        await ImageClassifierTrainer.TrainAsync(request, _ => Task.CompletedTask, ct);
    }

    private async Task RecordAsync(Search search, FinalRetrainState state, CancellationToken ct)
    {
        search.FinalRetrain = state;
        await db.SaveChangesAsync(ct);
    }
}
