using AutoMLStudio.Engine.Search;

namespace AutoMLStudio.Engine.Tests.Search;

public sealed class SpaceStrategyTests
{
    private static readonly SyntheticObjective Objective = SyntheticObjective.Named("shifted sphere");

    public static TheoryData<string> Strategies => ["random", "tpe", "evolution"];

    [Theory]
    [MemberData(nameof(Strategies))]
    public void Same_seed_and_same_tells_give_identical_asks(string name)
    {
        Assert.Equal(Run(name, seed: 7, trials: 40), Run(name, seed: 7, trials: 40));
        Assert.NotEqual(Run(name, seed: 7, trials: 40), Run(name, seed: 8, trials: 40));
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void A_strategy_rebuilt_from_its_told_trials_in_any_order_asks_what_the_original_would(string name)
    {
        var original = SearchStrategies.Create(name, Objective.Space, seed: 3, budget: 60);
        var told = new List<(int Number, ParameterSet Parameters, double? Objective)>();
        for (var n = 1; n <= 30; n++)
        {
            var p = original.Ask(n);
            // Every fifth trial failed or was pruned: the database stores no objective for it.
            double? value = n % 5 == 0 ? null : Objective.Evaluate(p);
            original.Tell(n, p, value);
            told.Add((n, p, value));
        }

        var rebuilt = SearchStrategies.Create(name, Objective.Space, seed: 3, budget: 60);
        foreach (var (number, parameters, value) in Enumerable.Reverse(told)) rebuilt.Tell(number, parameters, value);

        Assert.Equal(original.Ask(31), rebuilt.Ask(31));
        Assert.Equal(original.Ask(32), rebuilt.Ask(32));
    }

    [Fact]
    public void Tpe_and_evolution_stop_sampling_at_random_once_they_have_enough_results()
    {
        foreach (var name in new[] { "tpe", "evolution" })
        {
            var learning = SearchStrategies.Create(name, Objective.Space, seed: 1, budget: 60);
            var random = new RandomStrategy(Objective.Space, seed: 1);
            for (var n = 1; n <= 20; n++)
            {
                var p = learning.Ask(n);
                if (n <= 8) Assert.Equal(random.Ask(n), p); // warm-up: the same draws as random search
                learning.Tell(n, p, Objective.Evaluate(p));
            }

            Assert.NotEqual(random.Ask(21), learning.Ask(21));
        }
    }

    [Fact]
    public void Tpe_asks_after_its_warm_up_beat_its_warm_up_asks_on_a_stand_in_objective()
    {
        // With 40 trials TPE samples the first 10 at random; the rest come from what it was told. A TPE that ignored
        // Tell would keep drawing at random, and its late asks would score like its early ones.
        for (var seed = 1; seed <= 5; seed++)
        {
            var tpe = SearchStrategies.Create("tpe", Objective.Space, seed, budget: 40);
            var scores = new List<double>();
            for (var n = 1; n <= 40; n++)
            {
                var p = tpe.Ask(n);
                var value = Objective.Evaluate(p);
                tpe.Tell(n, p, value);
                scores.Add(value);
            }

            var (early, late) = (scores.Take(10).Average(), scores.TakeLast(10).Average());
            Assert.True(late > early, $"seed {seed}: the last ten asks average {late:F3}, the ten random warm-up asks {early:F3}");
        }
    }

    [Fact]
    public void Tpe_counts_failed_trials_as_bad_and_still_proposes_points_inside_the_space()
    {
        var tpe = new TpeStrategy(Objective.Space, seed: 2, startupTrials: 4);
        for (var n = 1; n <= 10; n++)
        {
            var p = tpe.Ask(n);
            tpe.Tell(n, p, n <= 2 ? Objective.Evaluate(p) : null);
        }

        Assert.True(Objective.Space.Contains(tpe.Ask(11)));

        // On a line: the best trial at 0.5, a worse one at 0.1, and eight failures spread over 0.72 to 1. TPE asks where
        // good trials are dense and bad ones sparse: were the failures dropped, the trial at 0.1 would be the only bad one
        // and the asks would go to the empty top of the line (or, with too few results, anywhere at random).
        var line = new ParameterSpace(ParameterDimension.FloatRange("x", 0, 1));
        static ParameterSet At(double x) => new([new("x", x)]);
        var told = new TpeStrategy(line, seed: 2, startupTrials: 4);
        told.Tell(1, At(0.5), 1);
        told.Tell(2, At(0.1), 0);
        for (var i = 0; i < 8; i++) told.Tell(3 + i, At(0.72 + 0.04 * i), null);

        var asks = Enumerable.Range(11, 40).Select(n => told.Ask(n).GetDouble("x")).ToList();
        Assert.All(asks, x => Assert.InRange(x, 0, 1));
        Assert.True(asks.Count(x => x < 0.7) >= 36, $"{asks.Count(x => x < 0.7)} of 40 asks below the failures: {string.Join(", ", asks.Select(x => x.ToString("F2")))}");
    }

    private static List<ParameterSet> Run(string name, int seed, int trials)
    {
        var strategy = SearchStrategies.Create(name, Objective.Space, seed, budget: 60);
        var asked = new List<ParameterSet>();
        for (var n = 1; n <= trials; n++)
        {
            var p = strategy.Ask(n);
            strategy.Tell(n, p, Objective.Evaluate(p));
            asked.Add(p);
        }
        return asked;
    }
}
