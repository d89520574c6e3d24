namespace AutoMLStudio.Engine.Search;

/// <summary>
/// What a strategy has been told, kept in trial-number order so that the order of <see cref="ISearchStrategy{TPoint}.Tell"/>
/// calls (live, or replayed from a database) never changes what it asks next.
/// </summary>
public sealed class SpaceHistory
{
    private readonly SortedDictionary<int, Observation<ParameterSet>> _byNumber = [];

    /// <summary>Records (or replaces) trial <paramref name="trialNumber"/>'s result.</summary>
    public void Add(int trialNumber, ParameterSet parameters, double? objective)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (objective is { } value && !double.IsFinite(value)) objective = null; // a diverged trial counts as failed
        _byNumber[trialNumber] = new Observation<ParameterSet>(trialNumber, parameters, objective);
    }

    /// <summary>Observations in trial-number order.</summary>
    public IReadOnlyList<Observation<ParameterSet>> All => [.. _byNumber.Values];

    /// <summary>Number of observations.</summary>
    public int Count => _byNumber.Count;

    /// <summary>Observations best first: by objective descending, failed and pruned last, ties by trial number.</summary>
    public IReadOnlyList<Observation<ParameterSet>> BestFirst() =>
        [.. _byNumber.Values.OrderBy(o => o.Objective is null).ThenByDescending(o => o.Objective ?? 0).ThenBy(o => o.Number)];
}
