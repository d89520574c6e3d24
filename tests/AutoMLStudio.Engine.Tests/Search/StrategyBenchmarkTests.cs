using AutoMLStudio.Engine.Search;
using Xunit.Abstractions;

namespace AutoMLStudio.Engine.Tests.Search;

/// <summary>Each learning strategy must beat random search on known functions with the same number of asks.</summary>
public sealed class StrategyBenchmarkTests(ITestOutputHelper output)
{
    private const int Budget = 60;
    private const int SeedCount = 10;

    public static TheoryData<string, string> Races => new()
    {
        { "tpe", "shifted sphere" },
        { "tpe", "branin 4-D" },
        { "tpe", "cnn-like accuracy" },
        { "evolution", "shifted sphere" },
        { "evolution", "branin 4-D" },
        { "evolution", "cnn-like accuracy" },
    };

    [Theory]
    [MemberData(nameof(Races))]
    public void Strategy_finds_a_better_best_than_random_search_in_the_same_number_of_asks(string strategy, string objectiveName)
    {
        var objective = SyntheticObjective.Named(objectiveName);

        var random = Enumerable.Range(0, SeedCount).Select(seed => BestAfter("random", objective, seed)).ToArray();
        var learned = Enumerable.Range(0, SeedCount).Select(seed => BestAfter(strategy, objective, seed)).ToArray();

        var wins = learned.Zip(random).Count(pair => pair.First > pair.Second);
        output.WriteLine($"{objective.Name} (optimum {objective.Optimum:G4}), {Budget} asks, {SeedCount} seeds: "
            + $"mean best {strategy} {learned.Average():G5} vs random {random.Average():G5}; {strategy} better on {wins}/{SeedCount} seeds");
        Assert.True(learned.Average() > random.Average(), $"{strategy} mean best {learned.Average()} <= random {random.Average()}");
        Assert.True(wins > SeedCount / 2, $"{strategy} beat random on only {wins} of {SeedCount} seeds");
    }

    internal static double BestAfter(string strategyName, SyntheticObjective objective, int seed)
    {
        var strategy = SearchStrategies.Create(strategyName, objective.Space, seed, Budget);
        var best = double.NegativeInfinity;
        for (var trial = 1; trial <= Budget; trial++)
        {
            var parameters = strategy.Ask(trial);
            Assert.True(objective.Space.Contains(parameters), $"{strategyName} asked {parameters}, outside the space");
            var value = objective.Evaluate(parameters);
            strategy.Tell(trial, parameters, value);
            best = Math.Max(best, value);
        }
        return best;
    }
}
