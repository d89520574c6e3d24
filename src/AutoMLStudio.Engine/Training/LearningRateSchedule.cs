using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Training;

/// <summary>
/// The learning rate at each optimizer step of a run, stepped per batch. It is a pure function of the step number, so
/// a resumed run that restores the step from its checkpoint continues exactly where the interrupted one stopped.
/// </summary>
public sealed class LearningRateSchedule
{
    /// <summary>Schedule names, as stored in <see cref="Spaces.TrainingSettings.Schedule"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["constant", "cosine", "onecycle"];

    // One-cycle as in PyTorch's OneCycleLR defaults: 30% warm-up from peak/25, then down to peak/25/1e4.
    private const double WarmupShare = 0.3;
    private const double StartDivisor = 25;
    private const double FinalDivisor = 1e4;

    private readonly string _name;
    private readonly double _peak;
    private readonly long _totalSteps;

    /// <summary>A schedule over <paramref name="totalSteps"/> steps that peaks at <paramref name="peak"/>.</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public LearningRateSchedule(string name, double peak, long totalSteps)
    {
        if (!Names.Contains(name)) throw new ArgumentException($"Unknown learning-rate schedule '{name}'. Valid schedules: {string.Join(", ", Names)}.", nameof(name));
        _name = name;
        _peak = peak;
        _totalSteps = Math.Max(1, totalSteps);
    }

    /// <summary>
    /// The rate for 0-based <paramref name="step"/>: constant; cosine from the peak down to 0 over the run; or
    /// one-cycle, a cosine rise from peak/25 to the peak over the first 30% of steps, then a cosine fall to peak/250,000.
    /// </summary>
    public double At(long step)
    {
        var t = Math.Clamp((double)step / _totalSteps, 0, 1);
        switch (_name)
        {
            case "cosine":
                return _peak * CosineFrom1To0(t);
            case "onecycle":
                var start = _peak / StartDivisor;
                var end = start / FinalDivisor;
                return t < WarmupShare
                    ? _peak + (start - _peak) * CosineFrom1To0(t / WarmupShare)
                    : end + (_peak - end) * CosineFrom1To0((t - WarmupShare) / (1 - WarmupShare));
            default:
                return _peak;
        }
    }

    /// <summary>Sets <paramref name="optimizer"/> to the rate of <paramref name="step"/>.</summary>
    public void Apply(StableOptimizer optimizer, long step)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        optimizer.LearningRate = At(step);
    }

    // 1 at u = 0, 0 at u = 1, along half a cosine.
    private static double CosineFrom1To0(double u) => 0.5 * (1 + Math.Cos(Math.PI * u));
}
