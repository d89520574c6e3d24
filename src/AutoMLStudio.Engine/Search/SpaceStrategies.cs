using AutoMLStudio.Engine.Scheduling;

namespace AutoMLStudio.Engine.Search;

/// <summary>Creates an <see cref="ISpaceStrategy"/> by algorithm name.</summary>
public static class SpaceStrategies
{
    /// <summary>Names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["auto", "random", "tpe", "evolution"];

    /// <summary>
    /// "random" (<see cref="RandomStrategy"/>), "tpe" (<see cref="TpeStrategy"/>, startup trials from
    /// <see cref="TpeStrategy.DefaultStartupTrials"/>), "evolution" (<see cref="RegularizedEvolutionStrategy"/>, sizes
    /// from <see cref="RegularizedEvolutionStrategy.DefaultSizes"/>) or "auto", which is TPE: it learns from every
    /// finished trial after a few random ones (evolution first spends a whole population on random trials), it treats
    /// failed and pruned trials as evidence rather than dropping them, and in the tests it beats random search on every
    /// synthetic objective with the few tens of trials a studio can afford. Names are case-insensitive.
    /// </summary>
    /// <param name="name">The algorithm.</param>
    /// <param name="space">The space to search.</param>
    /// <param name="seed">The search's seed.</param>
    /// <param name="budget">The trials the search is expected to run (its trial limit, or what its minutes buy); sizes the warm-up and the population.</param>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static ISpaceStrategy Create(string name, ParameterSpace space, int seed, int budget)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentOutOfRangeException.ThrowIfLessThan(budget, 1);
        var key = (name ?? "").Trim().ToLowerInvariant();
        if (key == "auto") key = AutoChoice.StrategyName;
        switch (key)
        {
            case "random":
                return new RandomStrategy(space, seed);
            case "tpe":
                return new TpeStrategy(space, seed, TpeStrategy.DefaultStartupTrials(budget));
            case "evolution":
                var (population, sample) = RegularizedEvolutionStrategy.DefaultSizes(budget);
                return new RegularizedEvolutionStrategy(space, seed, population, sample);
            default:
                throw new ArgumentException(
                    $"Unknown search algorithm '{name}'. Valid algorithms: {string.Join(", ", Names)}.", nameof(name));
        }
    }
}

/// <summary>What "auto" chose, with a sentence the UI can show next to the search.</summary>
/// <param name="Strategy">The strategy's name, as accepted by <see cref="SpaceStrategies.Create"/>.</param>
/// <param name="Scheduler">The scheduler's name, as accepted by <see cref="TrialSchedulers.Create"/>.</param>
/// <param name="Reason">One sentence saying why, for a non-expert.</param>
public sealed record AutoChoice(string Strategy, string Scheduler, string Reason)
{
    /// <summary>The strategy "auto" stands for (see <see cref="SpaceStrategies.Create"/> for why).</summary>
    public const string StrategyName = "tpe";

    /// <summary>The choice for a search expected to run about <paramref name="budget"/> trials of up to <paramref name="maxEpochs"/> epochs.</summary>
    public static AutoChoice For(int budget, int maxEpochs, int minEpochs = 1)
    {
        var scheduler = TrialSchedulers.AutoName(maxEpochs, minEpochs);
        var learns = $"TPE learns from the finished trials which settings work and tries more like them after {TpeStrategy.DefaultStartupTrials(budget)} random ones";
        var reason = scheduler == "asha"
            ? $"TPE search with ASHA early stopping: {learns}, and ASHA stops the weakest trials at epochs "
              + $"{string.Join(", ", new AshaScheduler(minEpochs, maxEpochs, TrialSchedulers.ReductionFactor).RungEpochs.Where(e => e < maxEpochs))} "
              + $"so that more settings fit in a budget of about {budget} trials."
            : $"TPE search without early stopping: {learns}; with only {maxEpochs} epoch{(maxEpochs == 1 ? "" : "s")} per trial, "
              + "stopping trials early would save little and judge them on too little training.";
        // NAC is offered by name only: it keeps the optimizer, learning rate and batch size of its starting network.
        reason += " Auto keeps TPE rather than neural architecture construction (\"nac\") because TPE also tunes the optimizer, "
                  + "learning rate and batch size, which construction keeps fixed.";
        return new AutoChoice(StrategyName, scheduler, reason);
    }
}
