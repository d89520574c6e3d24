namespace AutoMLStudio.Engine.Search;

/// <summary>
/// Proposes points of a <see cref="ParameterSpace"/> and learns from their results (ask / tell). Implementations are
/// deterministic given their seed, the trial number asked and the set of trials told (in any order), so a studio can
/// rebuild one after a restart by telling it the finished trials from its database and asking the next number.
/// </summary>
public interface ISpaceStrategy
{
    /// <summary>The algorithm's name, as accepted by <see cref="SpaceStrategies.Create"/>.</summary>
    string Name { get; }

    /// <summary>The parameters for trial <paramref name="trialNumber"/>.</summary>
    ParameterSet Ask(int trialNumber);

    /// <summary>
    /// Reports a trial's result. <paramref name="objective"/> is higher-is-better; null means the trial failed or was
    /// pruned early, which strategies treat as worse than any result. Telling the same trial again replaces its result.
    /// </summary>
    void Tell(int trialNumber, ParameterSet parameters, double? objective);
}

/// <summary>A trial as told to an <see cref="ISpaceStrategy"/>.</summary>
/// <param name="TrialNumber">The number it was asked with.</param>
/// <param name="Parameters">The parameters it ran with.</param>
/// <param name="Objective">Higher is better; null when failed or pruned.</param>
public sealed record SpaceObservation(int TrialNumber, ParameterSet Parameters, double? Objective);

/// <summary>
/// What a strategy has been told, kept in trial-number order so that the order of <see cref="ISpaceStrategy.Tell"/>
/// calls (live, or replayed from a database) never changes what it asks next.
/// </summary>
public sealed class SpaceHistory
{
    private readonly SortedDictionary<int, SpaceObservation> _byNumber = [];

    /// <summary>Records (or replaces) trial <paramref name="trialNumber"/>'s result.</summary>
    public void Add(int trialNumber, ParameterSet parameters, double? objective)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (objective is { } value && !double.IsFinite(value)) objective = null; // a diverged trial counts as failed
        _byNumber[trialNumber] = new SpaceObservation(trialNumber, parameters, objective);
    }

    /// <summary>Observations in trial-number order.</summary>
    public IReadOnlyList<SpaceObservation> All => [.. _byNumber.Values];

    /// <summary>Number of observations.</summary>
    public int Count => _byNumber.Count;

    /// <summary>Observations best first: by objective descending, failed and pruned last, ties by trial number.</summary>
    public IReadOnlyList<SpaceObservation> BestFirst() =>
        [.. _byNumber.Values.OrderBy(o => o.Objective is null).ThenByDescending(o => o.Objective ?? 0).ThenBy(o => o.TrialNumber)];
}
