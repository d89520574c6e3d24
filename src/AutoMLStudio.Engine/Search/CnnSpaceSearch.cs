using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Engine.Search;

/// <summary>
/// Runs an <see cref="ISpaceStrategy"/> over <see cref="CnnParameterSpace"/> behind the <see cref="ISearchStrategy"/>
/// the search loop already uses: asks are decoded into trial configurations, and told configurations (as stored in
/// trial rows) are encoded back into parameter sets. This lets the loop switch to TPE or evolution without change.
/// Trials 1 and 2 are the <see cref="CnnStartingPoints"/> rather than the strategy's proposals, so every search starts
/// from a sound network for its data size; the strategy is told them like any other trial.
/// </summary>
public sealed class CnnSpaceSearch : ISearchStrategy
{
    private readonly ISpaceStrategy _strategy;
    private readonly SearchSpaceContext _context;
    private readonly IReadOnlyList<ParameterSet> _startingPoints;

    /// <summary>Searches the CNN space of <paramref name="context"/> with <paramref name="strategy"/>, which must have been created over <see cref="CnnParameterSpace.Create"/>.</summary>
    public CnnSpaceSearch(ISpaceStrategy strategy, SearchSpaceContext context)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(context);
        _strategy = strategy;
        _context = context;
        _startingPoints = CnnStartingPoints.For(context);
    }

    /// <summary>
    /// A strategy named <paramref name="algorithm"/> (see <see cref="SpaceStrategies.Create"/>) over the CNN space of
    /// <paramref name="context"/>, for a search of at most <paramref name="budget"/> trials.
    /// </summary>
    public static CnnSpaceSearch Create(string algorithm, SearchSpaceContext context, int seed, int budget) =>
        new(SpaceStrategies.Create(algorithm, CnnParameterSpace.Create(context), seed, budget), context);

    /// <inheritdoc />
    public string Name => _strategy.Name;

    /// <inheritdoc />
    public TrialConfig Ask(int trialNumber) => CnnParameterSpace.Decode(
        trialNumber >= 1 && trialNumber <= _startingPoints.Count ? _startingPoints[trialNumber - 1] : _strategy.Ask(trialNumber), _context);

    /// <inheritdoc />
    public void Tell(TrialObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        // A pretrained backbone's result says nothing about this space (see BackboneCandidates).
        if (observation.Config.Architecture.Backbone is not null) return;
        _strategy.Tell(observation.Number, CnnParameterSpace.Encode(observation.Config), observation.Objective);
    }
}
