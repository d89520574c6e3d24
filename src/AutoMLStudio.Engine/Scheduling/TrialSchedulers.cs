using AutoMLStudio.Engine.Metrics;

namespace AutoMLStudio.Engine.Scheduling;

/// <summary>Creates an early-stopping scheduler by name.</summary>
public static class TrialSchedulers
{
    /// <summary>Names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["auto", "asha", "median", "none"];

    /// <summary>η for the ASHA scheduler <see cref="Create"/> builds: the value its authors recommend.</summary>
    public const int ReductionFactor = 3;

    /// <summary>
    /// The scheduler "auto" stands for: "asha" when <paramref name="maxEpochs"/> is at least η · <paramref name="minEpochs"/>,
    /// so that there is at least one rung before the last epoch where a weak trial can be stopped; otherwise "none",
    /// since with so few epochs stopping early would save almost nothing and would judge trials on too little training.
    /// </summary>
    public static string AutoName(int maxEpochs, int minEpochs = 1) =>
        maxEpochs >= ReductionFactor * minEpochs ? "asha" : "none";

    /// <summary>
    /// A scheduler for trials of up to <paramref name="maxEpochs"/> epochs: "asha" (rungs from <paramref name="minEpochs"/>,
    /// η = 3), "median" (grace <paramref name="minEpochs"/> epochs, three other trials), "none", or "auto"
    /// (<see cref="AutoName"/>). Names are case-insensitive.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static ITrialScheduler Create(string name, int maxEpochs, int minEpochs = 1, string metricName = "validation score",
        MetricDirection direction = MetricDirection.HigherIsBetter)
    {
        var key = (name ?? "").Trim().ToLowerInvariant();
        if (key == "auto") key = AutoName(maxEpochs, minEpochs);
        return key switch
        {
            "asha" => new AshaScheduler(minEpochs, maxEpochs, ReductionFactor, metricName, direction),
            "median" => new MedianStoppingScheduler(maxEpochs, minEpochs, minOtherTrials: 3, metricName, direction),
            "none" => new NoScheduler(),
            _ => throw new ArgumentException(
                $"Unknown early-stopping scheduler '{name}'. Valid schedulers: {string.Join(", ", Names)}.", nameof(name)),
        };
    }
}
