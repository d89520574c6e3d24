using AutoMLStudio.Engine.Metrics;

namespace AutoMLStudio.Engine.Scheduling;

/// <summary>
/// Asynchronous successive halving (ASHA; Li et al. 2020, "A System for Massively Parallel Hyperparameter Tuning").
/// Rungs sit at epochs <c>minEpochs * η^k</c> up to <c>maxEpochs</c>. A trial that finishes a rung's epoch goes on only
/// if its value is among the best <c>1/η</c> of the values recorded at that rung so far; it is decided at once with what
/// is known now, never waiting for other trials, and while a rung holds fewer than η values every trial goes on.
/// Trials are never stopped at their last epoch, where stopping would save nothing.
/// </summary>
public sealed class AshaScheduler : ITrialScheduler
{
    private readonly Dictionary<int, Dictionary<int, double>> _valuesByRung = [];
    private readonly Dictionary<int, SchedulerDecision> _pruned = [];
    private readonly string _metricName;
    private readonly MetricDirection _direction;

    /// <summary>An ASHA scheduler.</summary>
    /// <param name="minEpochs">The first rung (epochs every trial gets).</param>
    /// <param name="maxEpochs">Epochs of a trial that is never stopped.</param>
    /// <param name="reductionFactor">η: one trial in η goes on at each rung.</param>
    /// <param name="metricName">What the value is, for the reasons (e.g. "validation accuracy").</param>
    /// <param name="direction">Which way the value improves; reasons show the values as reported.</param>
    public AshaScheduler(int minEpochs, int maxEpochs, int reductionFactor = 3, string metricName = "validation score",
        MetricDirection direction = MetricDirection.HigherIsBetter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minEpochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEpochs, minEpochs);
        ArgumentOutOfRangeException.ThrowIfLessThan(reductionFactor, 2);
        ArgumentException.ThrowIfNullOrWhiteSpace(metricName);
        MinEpochs = minEpochs;
        MaxEpochs = maxEpochs;
        ReductionFactor = reductionFactor;
        _metricName = metricName;
        _direction = direction;
        var rungs = new List<int>();
        for (long epoch = minEpochs; epoch <= maxEpochs; epoch *= reductionFactor) rungs.Add((int)epoch);
        RungEpochs = rungs;
    }

    /// <inheritdoc />
    public string Name => "asha";

    /// <summary>The first rung.</summary>
    public int MinEpochs { get; }

    /// <summary>Epochs of a trial that is never stopped.</summary>
    public int MaxEpochs { get; }

    /// <summary>η: one trial in η goes on at each rung.</summary>
    public int ReductionFactor { get; }

    /// <summary>Epochs at which trials are compared: <c>minEpochs * η^k</c>, ascending, up to <see cref="MaxEpochs"/>.</summary>
    public IReadOnlyList<int> RungEpochs { get; }

    /// <inheritdoc />
    public SchedulerDecision Report(int trialNumber, int epoch, double value)
    {
        if (_pruned.TryGetValue(trialNumber, out var earlier)) return earlier;
        var rung = IndexOfRung(epoch);
        if (rung < 0 || epoch >= MaxEpochs) return SchedulerDecision.Continue;

        // Ranked higher-is-better; a diverged trial (NaN loss, NaN accuracy) ranks below every real value.
        var score = _direction.Maximised(value);
        if (!_valuesByRung.TryGetValue(epoch, out var values)) _valuesByRung[epoch] = values = [];
        values[trialNumber] = score;
        if (values.Count < ReductionFactor) return SchedulerDecision.Continue;

        var keep = values.Count / ReductionFactor;
        var threshold = values.Values.OrderDescending().ElementAt(keep - 1);
        if (score >= threshold) return SchedulerDecision.Continue;

        var lower = _direction == MetricDirection.LowerIsBetter;
        var decision = SchedulerDecision.Prune(
            $"Stopped at epoch {epoch}: its {_metricName} {SchedulerText.Value(value, _direction)} was {(lower ? "above" : "below")} the best "
            + $"{Fraction()} of the {values.Count} trials that reached epoch {epoch} (they needed "
            + $"{(lower ? "at most" : "at least")} {SchedulerText.Value(_direction.Maximised(threshold), _direction)}; "
            + $"ASHA rung {rung + 1} of {RungEpochs.Count}).");
        _pruned[trialNumber] = decision;
        return decision;
    }

    private int IndexOfRung(int epoch)
    {
        for (var i = 0; i < RungEpochs.Count; i++)
        {
            if (RungEpochs[i] == epoch) return i;
        }
        return -1;
    }

    private string Fraction() => ReductionFactor switch
    {
        2 => "half",
        3 => "third",
        4 => "quarter",
        _ => $"1/{ReductionFactor}",
    };
}
