namespace AutoMLStudio.Engine.Search;

/// <summary>
/// A strategy whose first trials are known points (the learners' cost-frugal defaults, FLAML's order) before
/// <paramref name="inner"/> proposes anything: trial <c>k</c> (1-based) is <c>startingPoints[k - 1]</c> while there is one.
/// A retry of a trial (<c>number + attempt * RetryStride</c>, because the point broke a limit) and every later trial ask
/// the inner strategy, so asks stay deterministic by number. The inner strategy is told every trial, starting ones
/// included, so it learns from the strong defaults from the start.
/// </summary>
public sealed class StartingPointsFirst(ISearchStrategy<ParameterSet> inner, IReadOnlyList<ParameterSet> startingPoints) : ISearchStrategy<ParameterSet>
{
    private readonly ISearchStrategy<ParameterSet> _inner = inner ?? throw new ArgumentNullException(nameof(inner));
    private readonly IReadOnlyList<ParameterSet> _startingPoints = startingPoints ?? throw new ArgumentNullException(nameof(startingPoints));

    /// <inheritdoc />
    public string Name => _inner.Name;

    /// <inheritdoc />
    public ParameterSet Ask(int trialNumber) =>
        trialNumber >= 1 && trialNumber <= _startingPoints.Count ? _startingPoints[trialNumber - 1] : _inner.Ask(trialNumber);

    /// <inheritdoc />
    public void Tell(Observation<ParameterSet> observation) => _inner.Tell(observation);
}
