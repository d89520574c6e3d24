using System.Globalization;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Devices;
using AutoMLStudio.Core.Searches.Pipelines;
using AutoMLStudio.Engine.Devices;
using AutoMLStudio.Engine.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Core.Searches;

/// <summary>What a search on a dataset works with: its size, a typical trial's cost and this machine's speed.</summary>
/// <param name="Task">The search task the dataset trains by default.</param>
/// <param name="Items">Labelled items (images, rows, texts).</param>
/// <param name="TrainItems">Items of the training split (70% with the default split).</param>
/// <param name="ValidationItems">Items of the validation split.</param>
/// <param name="BatchSize">The batch size the plan assumes: the middle of the space's choices.</param>
/// <param name="FlopsPerItem">Forward FLOPs of a typical first trial for one item.</param>
/// <param name="FlopsPerSecond">This machine's measured speed (<see cref="DeviceSpeed"/>).</param>
/// <param name="Slots">Trials that run side by side.</param>
/// <param name="DefaultMinutes">The minutes a search on this data gets when the person sets no limit.</param>
public sealed record BudgetProfile(SearchTask Task, int Items, int TrainItems, int ValidationItems, int BatchSize, double FlopsPerItem,
    double FlopsPerSecond, int Slots, double DefaultMinutes);

/// <summary>What a budget buys on a dataset.</summary>
/// <param name="DefaultMinutes">The minutes used when the person sets no limit.</param>
/// <param name="Minutes">The minutes this budget runs for.</param>
/// <param name="EpochsPerTrial">Epochs each trial trains.</param>
/// <param name="ExpectedTrials">Full trials the minutes buy (early stopping buys more), at most the trial limit.</param>
/// <param name="SecondsPerTrial">Expected seconds of one full trial.</param>
public sealed record BudgetEstimate(double DefaultMinutes, double Minutes, int EpochsPerTrial, int ExpectedTrials, double SecondsPerTrial)
{
    /// <summary>The sentence the train form shows before Start.</summary>
    public string Describe() =>
        $"About {ExpectedTrials} trial{(ExpectedTrials == 1 ? "" : "s")} of about {Seconds(SecondsPerTrial)} each ({EpochsPerTrial} epoch{(EpochsPerTrial == 1 ? "" : "s")}) "
        + $"in {SearchBudget.Minutes(Minutes)} minutes, from this machine's measured speed.";

    private static string Seconds(double seconds) => seconds < 90
        ? $"{Math.Max(1, Math.Round(seconds)).ToString("0", CultureInfo.InvariantCulture)} s"
        : $"{(seconds / 60).ToString("0.#", CultureInfo.InvariantCulture)} min";
}

/// <summary>
/// The budget model (docs/budgets.md): the default minutes from the data's size, and the trial length and trial count a
/// budget buys. The train form, the REST API's budget estimate and <see cref="StartSearch"/> share it.
/// </summary>
public sealed class BudgetPlan(StudioDbContext db, StudioDevices devices, IOptions<StudioOptions> options)
{
    public const double MinDefaultMinutes = 3;
    public const double MaxDefaultMinutes = 60;

    /// <summary>With only a trial limit, the search still stops after this many times the default minutes, so nothing runs forever.</summary>
    public const double TrialLimitTimeCapFactor = 4;

    /// <summary>
    /// The default minutes: the task's typical trial says them from the data's size (images 3 + items x pixels x channels
    /// / 1,500,000; tables 3 + rows x columns / 100,000; texts 3 + texts / 2,000); rounded to whole minutes, between 3 and 60.
    /// </summary>
    public static double DefaultMinutes(TypicalTrial typical) => Math.Clamp(Math.Round(typical.Minutes), MinDefaultMinutes, MaxDefaultMinutes);

    /// <summary>Checks the limits a person set; a problem that says what to change when one is out of range.</summary>
    public static void Check(int? maxTrials, double? maxMinutes, int? maxEpochsPerTrial)
    {
        if (maxTrials is < 1 or > 1000)
            throw new UserInputException("Invalid budget", "'maxTrials' must be between 1 and 1000, or left out for no trial limit.");
        if (maxMinutes is { } minutes && (!(minutes > 0) || minutes > 10_000))
            throw new UserInputException("Invalid budget", "'maxMinutes' must be more than 0 and at most 10000, or left out for a default from the data's size.");
        if (maxEpochsPerTrial is < 1 or > 500)
            throw new UserInputException("Invalid budget", "'maxEpochsPerTrial' must be between 1 and 500, or left out to let the studio fit epochs to the data and the budget.");
    }

    /// <summary>The minutes a search runs for: the person's, else the default (times <see cref="TrialLimitTimeCapFactor"/> with only a trial limit).</summary>
    public static double MinutesFor(BudgetProfile profile, double? maxMinutes, int? maxTrials) =>
        maxMinutes ?? (maxTrials is null ? profile.DefaultMinutes : profile.DefaultMinutes * TrialLimitTimeCapFactor);

    /// <summary>What the budget buys, from the cost model (before any trial has been timed).</summary>
    public static BudgetEstimate Estimate(BudgetProfile profile, double? maxMinutes, int? maxTrials, int? maxEpochsPerTrial)
    {
        var minutes = MinutesFor(profile, maxMinutes, maxTrials);
        var epochSeconds = TrialLength.EstimateEpochSeconds(profile.TrainItems, profile.ValidationItems, profile.BatchSize, profile.FlopsPerItem,
            profile.FlopsPerSecond);
        return Estimate(profile, minutes, maxTrials, maxEpochsPerTrial, epochSeconds, TrialLength.TrialOverheadSeconds);
    }

    /// <summary>What the budget buys at <paramref name="epochSeconds"/> an epoch and <paramref name="overheadSeconds"/> a trial (measured ones).</summary>
    public static BudgetEstimate Estimate(BudgetProfile profile, double minutes, int? maxTrials, int? maxEpochsPerTrial, double epochSeconds, double overheadSeconds)
    {
        var plan = TrialLength.Plan(profile.TrainItems, profile.BatchSize, epochSeconds, overheadSeconds, minutes * 60, profile.Slots, maxEpochsPerTrial, maxTrials);
        return new BudgetEstimate(profile.DefaultMinutes, minutes, plan.EpochsPerTrial, plan.ExpectedTrials, plan.SecondsPerTrial);
    }

    /// <summary>The profile of dataset <paramref name="datasetId"/>; a 404 problem when there is none.</summary>
    public async Task<BudgetProfile> ProfileAsync(Guid datasetId, CancellationToken ct)
    {
        var dataset = await db.Datasets.AsNoTracking().SingleOrDefaultAsync(d => d.Id == datasetId, ct) ?? throw UserInputException.NotFound("Dataset", datasetId);
        return await ProfileAsync(dataset, SearchTasks.Resolve(null, dataset), ct);
    }

    public async Task<BudgetProfile> ProfileAsync(Dataset dataset, SearchTask task, CancellationToken ct)
    {
        var labelled = db.DatasetItems.AsNoTracking().Where(i => i.DatasetId == dataset.Id && i.Label != null);
        var items = await labelled.CountAsync(ct);
        var classes = Math.Max(2, await labelled.Select(i => i.Label).Distinct().CountAsync(ct));
        var train = Math.Max(1, (int)Math.Round(items * (1 - 2 * CreateDatasetVersion.DefaultFraction)));
        var validation = Math.Max(1, (int)Math.Round(items * CreateDatasetVersion.DefaultFraction));
        var typical = await TaskPipelines.ModelsOf(task).TypicalTrialAsync(dataset, labelled, items, classes, ct);
        var speed = DeviceSpeed.FlopsPerSecond(devices.TorchDeviceFor(devices.DefaultQueue));
        return new BudgetProfile(task, items, train, validation, typical.BatchSize, typical.FlopsPerItem, speed,
            options.Value.Training.SlotsFor(reproducible: false), DefaultMinutes(typical));
    }

    /// <summary>
    /// Once the search's first trials have finished, fits the plan to their measured seconds per epoch and per trial
    /// instead of the cost model's guess; done once, so that the trials after it (and ASHA's rungs) stay comparable.
    /// </summary>
    public async Task ReplanAsync(Search search, IReadOnlyList<Trial> trials, CancellationToken ct)
    {
        if (search.PlanMeasured) return;
        var finished = trials.Where(t => t.InheritedFromSearchId is null && t.Status is TrialStatus.Completed or TrialStatus.Pruned
                                         && t.StartedAt is not null && t.CompletedAt is not null).ToList();
        if (finished.Count == 0) return;
        var ids = finished.Select(t => t.Id).ToList();
        var epochs = await db.EpochMetrics.AsNoTracking().Where(m => ids.Contains(m.TrialId)).Select(m => new { m.TrialId, m.Seconds }).ToListAsync(ct);
        if (epochs.Count == 0) return;
        var epochSeconds = Median(epochs.Select(e => e.Seconds));
        var overhead = Median(finished.Select(t =>
            Math.Max(0, (t.CompletedAt!.Value - t.StartedAt!.Value).TotalSeconds - epochs.Where(e => e.TrialId == t.Id).Sum(e => e.Seconds))));
        var dataset = await db.Datasets.AsNoTracking().SingleAsync(d => d.Id == search.DatasetId, ct);
        var profile = await ProfileAsync(dataset, search.Task, ct) with { Slots = options.Value.Training.SlotsFor(search.Reproducible) };
        var plan = Estimate(profile, search.MaxMinutes, search.MaxTrials, search.MaxEpochsPerTrial, epochSeconds, overhead);
        search.PlannedEpochsPerTrial = plan.EpochsPerTrial;
        search.PlannedTrials = plan.ExpectedTrials;
        search.PlannedSecondsPerTrial = plan.SecondsPerTrial;
        search.PlanMeasured = true;
        await db.SaveChangesAsync(ct);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
    }
}
