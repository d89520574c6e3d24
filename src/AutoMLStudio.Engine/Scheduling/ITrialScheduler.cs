using System.Globalization;
using AutoMLStudio.Engine.Metrics;

namespace AutoMLStudio.Engine.Scheduling;

/// <summary>
/// Decides after each epoch whether a trial goes on training. Implementations are deterministic and keep only what
/// they were told, so a studio rebuilds one after a restart by replaying its stored epoch rows in the order they
/// were first reported.
/// </summary>
public interface ITrialScheduler
{
    /// <summary>The scheduler's name, as accepted by <see cref="TrialSchedulers.Create"/>.</summary>
    string Name { get; }

    /// <summary>
    /// Records that trial <paramref name="trialNumber"/> reached <paramref name="value"/> (better in the scheduler's direction) at the end
    /// of epoch <paramref name="epoch"/> (1-based), and says whether it should train on.
    /// </summary>
    SchedulerDecision Report(int trialNumber, int epoch, double value);
}

/// <summary>What a scheduler decided about a trial after an epoch.</summary>
/// <param name="Pruned">True when the trial should stop now and be recorded as <c>pruned</c>.</param>
/// <param name="Reason">Why it was stopped, in words a non-expert understands; null when it continues.</param>
public sealed record SchedulerDecision(bool Pruned, string? Reason)
{
    /// <summary>The trial trains on.</summary>
    public static SchedulerDecision Continue { get; } = new(false, null);

    /// <summary>The trial stops now, for <paramref name="reason"/>.</summary>
    public static SchedulerDecision Prune(string reason) => new(true, reason);
}

/// <summary>Never stops a trial early: every trial trains all its epochs.</summary>
public sealed class NoScheduler : ITrialScheduler
{
    /// <inheritdoc />
    public string Name => "none";

    /// <inheritdoc />
    public SchedulerDecision Report(int trialNumber, int epoch, double value) => SchedulerDecision.Continue;
}

/// <summary>Wording shared by the schedulers' prune reasons.</summary>
internal static class SchedulerText
{
    /// <summary>
    /// Higher-is-better scores in [0, 1] (accuracy, F1) as a percentage, anything else as a plain number: lower-is-better
    /// metrics (cost, errors) are not shares, even when they fall in [0, 1].
    /// </summary>
    public static string Value(double value, MetricDirection direction) =>
        direction == MetricDirection.HigherIsBetter && value is >= 0 and <= 1
            ? (value * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%"
            : value.ToString("G4", CultureInfo.InvariantCulture);
}
