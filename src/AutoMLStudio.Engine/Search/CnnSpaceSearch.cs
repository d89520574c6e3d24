using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Engine.Search;

/// <summary>
/// Runs a strategy over <see cref="CnnParameterSpace"/> as a strategy over trial configurations: asks are decoded into
/// trial configurations, and told configurations (as stored in trial rows) are encoded back into parameter sets, so
/// TPE and evolution search image networks as they search tables and texts.
/// Trials 1 and 2 are the <see cref="CnnStartingPoints"/> rather than the strategy's proposals, so every search starts
/// from a sound network for its data size; the strategy is told them like any other trial.
/// </summary>
public sealed class CnnSpaceSearch : ISearchStrategy<TrialConfig>
{
    private readonly ISearchStrategy<ParameterSet> _strategy;
    private readonly SearchSpaceContext _context;
    private readonly IReadOnlyList<ParameterSet> _startingPoints;

    /// <summary>Searches the CNN space of <paramref name="context"/> with <paramref name="strategy"/>, which must have been created over <see cref="CnnParameterSpace.Create"/>.</summary>
    public CnnSpaceSearch(ISearchStrategy<ParameterSet> strategy, SearchSpaceContext context)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(context);
        _strategy = strategy;
        _context = context;
        _startingPoints = CnnStartingPoints.For(context);
    }

    /// <inheritdoc />
    public string Name => _strategy.Name;

    /// <inheritdoc />
    public TrialConfig Ask(int trialNumber) => CnnParameterSpace.Decode(
        trialNumber >= 1 && trialNumber <= _startingPoints.Count ? _startingPoints[trialNumber - 1] : _strategy.Ask(trialNumber), _context);

    /// <inheritdoc />
    public void Tell(Observation<TrialConfig> observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        // A pretrained backbone's result says nothing about this space (see BackboneCandidates).
        if (observation.Point.Architecture.Backbone is not null) return;
        _strategy.Tell(observation.Number, CnnParameterSpace.Encode(observation.Point), observation.Objective);
    }
}
