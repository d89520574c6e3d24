namespace AutoMLStudio.Engine.Search;

/// <summary>
/// Proposes points to train and learns from their results (ask / tell): the one interface every search strategy
/// implements, whatever its points are (a <see cref="ParameterSet"/> of a flat space for random search, TPE and
/// evolution; a whole <see cref="Spaces.TrialConfig"/> for strategies that build networks, such as <see cref="NacSearch"/>).
/// Implementations are deterministic given their seed, the trial number asked and the set of trials told (in any
/// order), so a studio can rebuild one after a restart by telling it the finished trials from its database and asking
/// the next number. <see cref="SearchStrategies"/> creates them by name.
/// </summary>
/// <typeparam name="TPoint">What the strategy proposes.</typeparam>
public interface ISearchStrategy<TPoint> where TPoint : notnull
{
    /// <summary>The algorithm's name, as accepted by <see cref="SearchStrategies.Create(string, ParameterSpace, int, int)"/>.</summary>
    string Name { get; }

    /// <summary>The point for trial <paramref name="trialNumber"/>.</summary>
    TPoint Ask(int trialNumber);

    /// <summary>
    /// Reports a trial's result. Its objective is higher-is-better; null means the trial failed or was pruned early,
    /// which strategies treat as worse than any result. Telling the same trial again replaces its result.
    /// </summary>
    void Tell(Observation<TPoint> observation);
}

/// <summary>A finished (or failed) trial as told to an <see cref="ISearchStrategy{TPoint}"/>.</summary>
/// <param name="Number">Trial number, as passed to <see cref="ISearchStrategy{TPoint}.Ask"/>.</param>
/// <param name="Point">What was trained.</param>
/// <param name="Objective">Higher is better; null when the trial failed or was pruned.</param>
/// <param name="WeightsPath">The trial's best weights, for strategies that read what a network learnt (<see cref="NacSearch"/>); null when none were kept.</param>
public sealed record Observation<TPoint>(int Number, TPoint Point, double? Objective, string? WeightsPath = null) where TPoint : notnull;

/// <summary>Shorthands over <see cref="ISearchStrategy{TPoint}"/>.</summary>
public static class SearchStrategyExtensions
{
    /// <summary>Tells trial <paramref name="number"/>'s result without weights.</summary>
    public static void Tell<TPoint>(this ISearchStrategy<TPoint> strategy, int number, TPoint point, double? objective) where TPoint : notnull
    {
        ArgumentNullException.ThrowIfNull(strategy);
        strategy.Tell(new Observation<TPoint>(number, point, objective));
    }
}
