using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Engine.Search;

/// <summary>A finished (or failed) trial as told to a strategy.</summary>
/// <param name="Number">Trial number, as passed to <see cref="ISearchStrategy.Ask"/>.</param>
/// <param name="Config">The configuration that was trained.</param>
/// <param name="Objective">Higher is better; null when the trial failed.</param>
/// <param name="WeightsPath">The trial's best weights, for strategies that read what a network learnt (<see cref="NacSearch"/>); null when none were kept.</param>
public sealed record TrialObservation(int Number, TrialConfig Config, double? Objective, string? WeightsPath = null);

/// <summary>Proposes trial configurations and learns from their results (ask / tell).</summary>
public interface ISearchStrategy
{
    /// <summary>The algorithm's name, as accepted by <see cref="SearchStrategies.Create"/>.</summary>
    string Name { get; }

    /// <summary>The configuration for trial <paramref name="trialNumber"/>; deterministic given the seed, the number and everything told so far.</summary>
    TrialConfig Ask(int trialNumber);

    /// <summary>Reports a trial's result.</summary>
    void Tell(TrialObservation observation);
}

/// <summary>
/// Independent samples from <see cref="CnnSearchSpace"/>. Trial <c>n</c> draws from <c>Random(Seeds.Combine(seed, n))</c>,
/// so a restarted search proposes the same configurations whatever it was told.
/// </summary>
public sealed class RandomSearch(SearchSpaceContext context, int seed) : ISearchStrategy
{
    private readonly List<TrialObservation> _observations = [];

    /// <inheritdoc />
    public string Name => "random";

    /// <summary>Observations told so far.</summary>
    public IReadOnlyList<TrialObservation> Observations => _observations;

    /// <inheritdoc />
    public TrialConfig Ask(int trialNumber) => CnnSearchSpace.Sample(new Random(Seeds.Combine(seed, trialNumber)), context);

    /// <inheritdoc />
    public void Tell(TrialObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        _observations.Add(observation);
    }
}

/// <summary>Creates a search strategy by algorithm name.</summary>
public static class SearchStrategies
{
    /// <summary>Names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["auto", "random", "nac"];

    /// <summary>
    /// A search loop that re-asks for the same trial (because the candidate broke a limit) asks for
    /// <c>number + attempt * RetryStride</c>, so strategies that plan by trial number can tell the trial from the attempt.
    /// </summary>
    public const int RetryStride = 100_003;

    /// <summary>
    /// "auto" and "random" give <see cref="RandomSearch"/>, "nac" gives <see cref="NacSearch"/> for a search of at most
    /// <paramref name="budget"/> trials; names are case-insensitive.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static ISearchStrategy Create(string algorithm, SearchSpaceContext ctx, int seed, int budget = 1)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        return (algorithm ?? "").Trim().ToLowerInvariant() switch
        {
            "auto" or "random" => new RandomSearch(ctx, seed),
            "nac" => new NacSearch(ctx, seed, budget),
            _ => throw new ArgumentException(
                $"Unknown search algorithm '{algorithm}'. Valid algorithms: {string.Join(", ", Names)}.", nameof(algorithm)),
        };
    }
}
