namespace AutoMLStudio.Engine.Search;

/// <summary>
/// Independent uniform samples. Trial <c>n</c> draws from <c>Random(Seeds.Combine(seed, n))</c>, so it proposes the
/// same parameters whatever it was told: the baseline every other strategy must beat.
/// </summary>
public sealed class RandomStrategy(ParameterSpace space, int seed) : ISearchStrategy<ParameterSet>
{
    private readonly SpaceHistory _history = new();

    /// <inheritdoc />
    public string Name => "random";

    /// <summary>What it was told (kept for the studio's reports; random search ignores it).</summary>
    public SpaceHistory History => _history;

    /// <inheritdoc />
    public ParameterSet Ask(int trialNumber) => space.Sample(new Random(Seeds.Combine(seed, trialNumber)));

    /// <inheritdoc />
    public void Tell(Observation<ParameterSet> observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        _history.Add(observation.Number, observation.Point, observation.Objective);
    }
}
