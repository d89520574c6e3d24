using AutoMLStudio.Engine.Metrics;

namespace AutoMLStudio.Engine.Scheduling;

/// <summary>
/// Median stopping (Golovin et al. 2017, "Google Vizier"): after <see cref="GraceEpochs"/>, a trial stops when its best
/// value so far is below the median of the other trials' values at the same epoch, once at least
/// <see cref="MinOtherTrials"/> other trials have reached that epoch. Trials are never stopped at their last epoch.
/// </summary>
public sealed class MedianStoppingScheduler : ITrialScheduler
{
    private readonly Dictionary<int, Dictionary<int, double>> _valuesByEpoch = [];
    private readonly Dictionary<int, double> _bestByTrial = [];
    private readonly Dictionary<int, SchedulerDecision> _pruned = [];
    private readonly string _metricName;
    private readonly MetricDirection _direction;

    /// <summary>A median stopping scheduler.</summary>
    /// <param name="maxEpochs">Epochs of a trial that is never stopped.</param>
    /// <param name="graceEpochs">Epochs every trial trains before it can be stopped.</param>
    /// <param name="minOtherTrials">Other trials needed at an epoch before their median means anything.</param>
    /// <param name="metricName">What the value is, for the reasons (e.g. "validation accuracy").</param>
    /// <param name="direction">Which way the value improves; reasons show the values as reported.</param>
    public MedianStoppingScheduler(int maxEpochs, int graceEpochs = 1, int minOtherTrials = 3, string metricName = "validation score",
        MetricDirection direction = MetricDirection.HigherIsBetter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEpochs, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(graceEpochs);
        ArgumentOutOfRangeException.ThrowIfLessThan(minOtherTrials, 1);
        ArgumentException.ThrowIfNullOrWhiteSpace(metricName);
        MaxEpochs = maxEpochs;
        GraceEpochs = graceEpochs;
        MinOtherTrials = minOtherTrials;
        _metricName = metricName;
        _direction = direction;
    }

    /// <inheritdoc />
    public string Name => "median";

    /// <summary>Epochs of a trial that is never stopped.</summary>
    public int MaxEpochs { get; }

    /// <summary>Epochs every trial trains before it can be stopped.</summary>
    public int GraceEpochs { get; }

    /// <summary>Other trials needed at an epoch before their median is used.</summary>
    public int MinOtherTrials { get; }

    /// <inheritdoc />
    public SchedulerDecision Report(int trialNumber, int epoch, double value)
    {
        if (_pruned.TryGetValue(trialNumber, out var earlier)) return earlier;
        // Compared higher-is-better; a diverged trial ranks below every real value.
        var score = _direction.Maximised(value);
        if (!_valuesByEpoch.TryGetValue(epoch, out var atEpoch)) _valuesByEpoch[epoch] = atEpoch = [];
        atEpoch[trialNumber] = score;
        var best = _bestByTrial[trialNumber] = Math.Max(score, _bestByTrial.GetValueOrDefault(trialNumber, double.NegativeInfinity));
        if (epoch <= GraceEpochs || epoch >= MaxEpochs) return SchedulerDecision.Continue;

        var others = atEpoch.Where(kv => kv.Key != trialNumber).Select(kv => kv.Value).Order().ToArray();
        if (others.Length < MinOtherTrials) return SchedulerDecision.Continue;
        var median = others.Length % 2 == 1
            ? others[others.Length / 2]
            : (others[others.Length / 2 - 1] + others[others.Length / 2]) / 2;
        if (best >= median) return SchedulerDecision.Continue;

        var decision = SchedulerDecision.Prune(
            $"Stopped at epoch {epoch}: its best {_metricName} so far, {SchedulerText.Value(_direction.Maximised(best), _direction)}, "
            + $"was {(_direction == MetricDirection.LowerIsBetter ? "above" : "below")} "
            + $"{SchedulerText.Value(_direction.Maximised(median), _direction)}, the median of the {others.Length} other trials at epoch {epoch} (median stopping).");
        _pruned[trialNumber] = decision;
        return decision;
    }
}
