using AutoMLStudio.Engine.Search;

namespace AutoMLStudio.Core.Searches.Pipelines;

/// <summary>
/// The one place a requested algorithm becomes what a search runs: the strategy and scheduler stored on the search (a
/// restarted search builds the same strategy from them with <see cref="SearchStrategies"/>) and the sentence that says
/// why. What a task allows comes from its <see cref="TaskTraits"/>.
/// </summary>
public static class StrategyChoices
{
    /// <summary>"asha" is TPE with ASHA early stopping; "auto" lets the studio choose and say why.</summary>
    public static readonly IReadOnlyList<string> Supported = ["auto", "random", "tpe", "evolution", "asha", "nac"];

    /// <summary>NAC grows convolutional networks, so a task whose space is not made of them refuses it with a problem that says so.</summary>
    public static void CheckFits(SearchTask task, string? algorithm)
    {
        if (TaskPipelines.TraitsOf(task).BuildsConvolutionalNetworks) return;
        if (string.Equals(algorithm?.Trim(), "nac", StringComparison.OrdinalIgnoreCase))
            throw new UserInputException("Algorithm not available",
                $"'nac' grows convolutional networks and is for image searches. Use auto, random, tpe, evolution or asha for {task}.");
    }

    /// <summary>
    /// What a search of about <paramref name="expectedTrials"/> trials of <paramref name="epochsPerTrial"/> epochs runs for
    /// <paramref name="algorithm"/> (lower-case, one of <see cref="Supported"/>); a search that starts from a model tunes
    /// how it is trained with random search.
    /// </summary>
    public static AutoChoice For(string algorithm, int expectedTrials, int epochsPerTrial, StartingModel? startingModel) =>
        startingModel is not null ? FineTune(startingModel) : algorithm switch
        {
            "auto" => AutoChoice.For(expectedTrials, epochsPerTrial),
            "asha" => new AutoChoice("tpe", "asha", "TPE search with ASHA early stopping, as asked."),
            "nac" => NacSearch.Choice(expectedTrials, epochsPerTrial),
            _ => new AutoChoice(algorithm, "none", $"{algorithm} search without early stopping, as asked."),
        };

    private static AutoChoice FineTune(StartingModel model) => new("random", "none",
        $"Starts from {model.Name} v{model.Version}: its network and what it learned are kept and its output layer is replaced for this dataset's classes, so random search tries how to train it (learning rate, optimizer, schedule, augmentation, and whether every layer or only the output layer learns).");
}
