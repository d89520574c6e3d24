using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Engine.Search;

/// <summary>Creates every <see cref="ISearchStrategy{TPoint}"/> by algorithm name; the one place "auto" is read.</summary>
public static class SearchStrategies
{
    /// <summary>Every algorithm name; <see cref="Create(string, ParameterSpace, int, int)"/> takes all but "nac".</summary>
    public static IReadOnlyList<string> Names { get; } = ["auto", "random", "tpe", "evolution", "nac"];

    /// <summary>
    /// A search loop that re-asks for the same trial (because the candidate broke a limit) asks for
    /// <c>number + attempt * RetryStride</c>, so strategies that plan by trial number can tell the trial from the attempt.
    /// </summary>
    public const int RetryStride = 100_003;

    /// <summary>
    /// The algorithm <paramref name="name"/> stands for, lower-case: "auto" is <see cref="AutoChoice.StrategyName"/>
    /// (TPE: it learns from every finished trial after a few random ones, where evolution first spends a whole population
    /// on random trials, it treats failed and pruned trials as evidence rather than dropping them, and in the tests it
    /// beats random search on every synthetic objective with the few tens of trials a studio can afford).
    /// </summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static string Resolve(string? name)
    {
        var key = (name ?? "").Trim().ToLowerInvariant();
        if (key == "auto") return AutoChoice.StrategyName;
        return Names.Contains(key) ? key : throw Unknown(name, Names);
    }

    /// <summary>
    /// A strategy over a flat space: "random" (<see cref="RandomStrategy"/>), "tpe" (<see cref="TpeStrategy"/>, startup
    /// trials from <see cref="TpeStrategy.DefaultStartupTrials"/>), "evolution" (<see cref="RegularizedEvolutionStrategy"/>,
    /// sizes from <see cref="RegularizedEvolutionStrategy.DefaultSizes"/>) or "auto" (see <see cref="Resolve"/>).
    /// Names are case-insensitive.
    /// </summary>
    /// <param name="name">The algorithm.</param>
    /// <param name="space">The space to search.</param>
    /// <param name="seed">The search's seed.</param>
    /// <param name="budget">The trials the search is expected to run (its trial limit, or what its minutes buy); sizes the warm-up and the population.</param>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>, or is "nac", which builds networks rather than points of a space.</exception>
    public static ISearchStrategy<ParameterSet> Create(string name, ParameterSpace space, int seed, int budget)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentOutOfRangeException.ThrowIfLessThan(budget, 1);
        switch (Resolve(name))
        {
            case "random":
                return new RandomStrategy(space, seed);
            case "tpe":
                return new TpeStrategy(space, seed, TpeStrategy.DefaultStartupTrials(budget));
            case "evolution":
                var (population, sample) = RegularizedEvolutionStrategy.DefaultSizes(budget);
                return new RegularizedEvolutionStrategy(space, seed, population, sample);
            default:
                throw Unknown(name, [.. Names.Where(n => n != "nac")]);
        }
    }

    /// <summary>
    /// A strategy over the image networks of <paramref name="context"/>: "random" gives <see cref="RandomSearch"/> (its own
    /// sampler, so that searches stored before the flat spaces replay the same), "nac" gives <see cref="NacSearch"/>, and
    /// every other name the flat-space strategy of <see cref="Create(string, ParameterSpace, int, int)"/> over
    /// <see cref="CnnParameterSpace"/> (<see cref="CnnSpaceSearch"/>). Names are case-insensitive.
    /// </summary>
    /// <param name="budget">The trials the search is expected to run at most.</param>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static ISearchStrategy<TrialConfig> Create(string name, SearchSpaceContext context, int seed, int budget = 1)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Resolve(name) switch
        {
            "random" => new RandomSearch(context, seed),
            "nac" => new NacSearch(context, seed, budget),
            var key => new CnnSpaceSearch(Create(key, CnnParameterSpace.Create(context), seed, budget), context),
        };
    }

    private static ArgumentException Unknown(string? name, IReadOnlyList<string> valid) =>
        new($"Unknown search algorithm '{name}'. Valid algorithms: {string.Join(", ", valid)}.", nameof(name));
}
