namespace AutoMLStudio.Engine.Search;

/// <summary>
/// Regularized ("aging") evolution (Real et al. 2019, "Regularized Evolution for Image Classifier Architecture Search").
/// The population is the <see cref="PopulationSize"/> most recently numbered trials told; until it is full, trials are
/// random. Each ask draws <see cref="SampleSize"/> members, takes the one with the best objective (failed and pruned
/// trials lose every tournament) and proposes a mutation of it (<see cref="ParameterSpace.Neighbour"/>). Because members
/// leave by age rather than by fitness, one lucky trial cannot dominate the search forever.
/// </summary>
public sealed class RegularizedEvolutionStrategy : ISearchStrategy<ParameterSet>
{
    private readonly ParameterSpace _space;
    private readonly int _seed;
    private readonly SpaceHistory _history = new();

    /// <summary>An evolution search over <paramref name="space"/>.</summary>
    /// <param name="space">The space to search.</param>
    /// <param name="seed">Seed; trial <c>n</c> draws from <c>Random(Seeds.Combine(seed, n))</c>.</param>
    /// <param name="populationSize">How many recent trials form the population (P).</param>
    /// <param name="sampleSize">How many members each tournament draws (S); larger is greedier.</param>
    /// <param name="mutationRate">Probability that each dimension mutates; default one over the number of dimensions.</param>
    public RegularizedEvolutionStrategy(ParameterSpace space, int seed, int populationSize = 20, int sampleSize = 5, double? mutationRate = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentOutOfRangeException.ThrowIfLessThan(populationSize, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleSize, populationSize);
        _space = space;
        _seed = seed;
        PopulationSize = populationSize;
        SampleSize = sampleSize;
        MutationRate = mutationRate ?? 1.0 / space.Dimensions.Count;
    }

    /// <summary>
    /// Population and sample sizes for a trial budget: a population of a quarter of the trials the budget is expected to buy (4 to 50), so that at
    /// least three quarters of the budget is spent evolving, and tournaments of a third of it (greedy, which small
    /// budgets need; Real et al. used P=100, S=25 for 20,000 trials).
    /// </summary>
    public static (int Population, int Sample) DefaultSizes(int budget)
    {
        var population = Math.Clamp(budget / 4, 4, 50);
        return (population, Math.Max(2, population / 3));
    }

    /// <inheritdoc />
    public string Name => "evolution";

    /// <summary>How many recent trials form the population (P).</summary>
    public int PopulationSize { get; }

    /// <summary>How many members each tournament draws (S).</summary>
    public int SampleSize { get; }

    /// <summary>Probability that each dimension mutates.</summary>
    public double MutationRate { get; }

    /// <inheritdoc />
    public void Tell(Observation<ParameterSet> observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        _history.Add(observation.Number, observation.Point, observation.Objective);
    }

    /// <inheritdoc />
    public ParameterSet Ask(int trialNumber)
    {
        var rng = new Random(Seeds.Combine(_seed, trialNumber));
        var all = _history.All;
        if (all.Count < PopulationSize) return _space.Sample(rng);

        var population = all.Skip(all.Count - PopulationSize).ToArray();
        Observation<ParameterSet>? parent = null;
        foreach (var index in DistinctIndices(rng, population.Length, SampleSize))
        {
            var candidate = population[index];
            if (parent is null || Beats(candidate, parent)) parent = candidate;
        }
        return _space.Neighbour(parent!.Point, rng, MutationRate);
    }

    private static bool Beats(Observation<ParameterSet> a, Observation<ParameterSet> b) =>
        (a.Objective, b.Objective) switch
        {
            (null, _) => false,
            (not null, null) => true,
            var (x, y) => x > y,
        };

    // Partial Fisher-Yates: the first `count` entries of a shuffled 0..n-1.
    private static IEnumerable<int> DistinctIndices(Random rng, int n, int count)
    {
        var indices = Enumerable.Range(0, n).ToArray();
        for (var i = 0; i < count; i++)
        {
            var j = rng.Next(i, n);
            (indices[i], indices[j]) = (indices[j], indices[i]);
            yield return indices[i];
        }
    }
}
