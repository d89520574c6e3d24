namespace AutoMLStudio.Engine.Search;

/// <summary>
/// How long each trial of a search trains when the person did not say, and about how many trials the time budget buys.
/// Epochs come from a floor of optimizer steps (<see cref="MinSteps"/>: 200 images at batch 64 are 4 steps an epoch, so
/// they need many epochs to learn anything) and are then capped by throughput, so that one trial takes at most
/// 1/<see cref="TargetTrials"/> of the budget's trial time (60,000 images are not trained for 40 epochs in 10 minutes).
/// </summary>
public static class TrialLength
{
    /// <summary>Optimizer steps a trial should take at least, where the budget allows.</summary>
    public const int MinSteps = 1000;

    /// <summary>Fewest epochs wanted, so that ASHA (η = 3) has a rung before the last epoch.</summary>
    public const int MinEpochs = 3;

    /// <summary>Most epochs a planned trial trains.</summary>
    public const int MaxEpochs = 100;

    /// <summary>The budget should buy at least this many full trials.</summary>
    public const int TargetTrials = 10;

    /// <summary>
    /// The plan for trials over <paramref name="trainItems"/> training items in batches of <paramref name="batchSize"/>,
    /// taking <paramref name="secondsPerEpoch"/> an epoch plus <paramref name="overheadSeconds"/> a trial, in
    /// <paramref name="budgetSeconds"/> of wall time with <paramref name="slots"/> trials side by side.
    /// <paramref name="maxEpochs"/> and <paramref name="maxTrials"/> are the person's own limits, when set: they win.
    /// </summary>
    public static TrialLengthPlan Plan(int trainItems, int batchSize, double secondsPerEpoch, double overheadSeconds, double budgetSeconds, int slots,
        int? maxEpochs = null, int? maxTrials = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        var steps = Math.Max(1, (int)Math.Ceiling(Math.Max(1, trainItems) / (double)batchSize));
        var wanted = Math.Clamp((int)Math.Ceiling(MinSteps / (double)steps), MinEpochs, MaxEpochs);
        var perEpoch = Math.Max(1e-4, secondsPerEpoch);
        var trialSeconds = Math.Max(0, budgetSeconds) * slots / TargetTrials;
        var affordable = (int)Math.Floor((trialSeconds - Math.Max(0, overheadSeconds)) / perEpoch);
        var epochs = maxEpochs ?? Math.Max(1, Math.Min(wanted, affordable));
        var secondsPerTrial = Math.Max(0, overheadSeconds) + epochs * perEpoch;
        var expected = (int)Math.Clamp(Math.Floor(Math.Max(0, budgetSeconds) * slots / secondsPerTrial), 1, 100_000);
        if (maxTrials is { } limit) expected = Math.Min(expected, limit);
        return new TrialLengthPlan(epochs, expected, secondsPerTrial, steps);
    }

    /// <summary>
    /// A cost-model guess of one epoch's seconds before any trial has run: a forward and backward pass (3x the forward
    /// FLOPs) over the training items and a forward pass over validation at <paramref name="flopsPerSecond"/>, plus a
    /// fixed cost per step and per epoch (batching, the optimizer, checkpoints), which dominates on small data.
    /// </summary>
    public static double EstimateEpochSeconds(int trainItems, int validationItems, int batchSize, double flopsPerItem, double flopsPerSecond)
    {
        var steps = Math.Ceiling(Math.Max(1, trainItems) / (double)Math.Max(1, batchSize));
        var compute = (3.0 * trainItems + validationItems) * Math.Max(0, flopsPerItem) / Math.Max(1e6, flopsPerSecond);
        return compute + steps * StepSeconds + EpochSeconds;
    }

    /// <summary>Fixed seconds per optimizer step in <see cref="EstimateEpochSeconds"/>.</summary>
    public const double StepSeconds = 0.002;

    /// <summary>Fixed seconds per epoch in <see cref="EstimateEpochSeconds"/> (validation set-up, checkpoint, metrics).</summary>
    public const double EpochSeconds = 0.05;

    /// <summary>Fixed seconds per trial in a cost-model plan (building the model, measuring latency, recording).</summary>
    public const double TrialOverheadSeconds = 1.0;
}

/// <summary>A search's planned trial length.</summary>
/// <param name="EpochsPerTrial">Epochs each trial trains.</param>
/// <param name="ExpectedTrials">Full trials the budget buys (early stopping buys more).</param>
/// <param name="SecondsPerTrial">Expected seconds of one full trial.</param>
/// <param name="StepsPerEpoch">Optimizer steps of one epoch: training items / batch size, rounded up.</param>
public sealed record TrialLengthPlan(int EpochsPerTrial, int ExpectedTrials, double SecondsPerTrial, int StepsPerEpoch);
