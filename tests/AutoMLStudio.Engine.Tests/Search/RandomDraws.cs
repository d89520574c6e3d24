using AutoMLStudio.Engine.Search;

namespace AutoMLStudio.Engine.Tests.Search;

/// <summary>What a strategy that learns nothing scores: the yardstick a learning strategy's later asks must beat.</summary>
internal static class RandomDraws
{
    /// <summary>The objective's mean over 2,000 points drawn at random from the space (a fixed seed: the same every run).</summary>
    public static double MeanScore(ParameterSpace space, Func<ParameterSet, double> score)
    {
        var rng = new Random(99);
        return Enumerable.Range(0, 2000).Average(_ => score(space.Sample(rng)));
    }
}
