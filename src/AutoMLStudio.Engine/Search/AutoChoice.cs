using AutoMLStudio.Engine.Scheduling;

namespace AutoMLStudio.Engine.Search;

/// <summary>What "auto" chose, with a sentence the UI can show next to the search.</summary>
/// <param name="Strategy">The strategy's name, as accepted by <see cref="SearchStrategies.Create(string, ParameterSpace, int, int)"/>.</param>
/// <param name="Scheduler">The scheduler's name, as accepted by <see cref="TrialSchedulers.Create"/>.</param>
/// <param name="Reason">One sentence saying why, for a non-expert.</param>
public sealed record AutoChoice(string Strategy, string Scheduler, string Reason)
{
    /// <summary>The strategy "auto" stands for (see <see cref="SearchStrategies.Resolve"/> for why).</summary>
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
