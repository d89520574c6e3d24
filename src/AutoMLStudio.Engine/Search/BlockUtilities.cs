using AutoMLStudio.Engine.Models;
using AutoMLStudio.Engine.Native;
using AutoMLStudio.Engine.Spaces;
using TorchSharp;

namespace AutoMLStudio.Engine.Search;

/// <summary>How much one convolution block of a trained network contributes.</summary>
/// <param name="Block">Index of the block.</param>
/// <param name="Relative">The block's mean filter score divided by the whole network's mean filter score: 1 is average, 0 is dead.</param>
/// <param name="WeakFraction">Share of the block's filters scoring below <see cref="BlockUtilities.WeakFilterThreshold"/> of the network mean.</param>
/// <param name="StrongFilters">Number of the block's filters that are not weak.</param>
public sealed record BlockUtility(int Block, double Relative, double WeakFraction, int StrongFilters);

/// <summary>
/// Network-slimming style utility of conv blocks, read from trained weights: a filter's score is the mean absolute value
/// of its conv weights times the square root of its fan-in, times |gamma| of its batch norm where there is one. The
/// fan-in factor undoes the initialisation's 1/sqrt(fan-in) scale, so blocks with few and many input channels compare
/// fairly; gamma is what batch norm multiplies the filter's output by, so a filter with a near-zero gamma is switched off
/// whatever its weights.
/// </summary>
public static class BlockUtilities
{
    /// <summary>A filter scoring below this share of the network's mean filter score counts as weak.</summary>
    public const double WeakFilterThreshold = 0.1;

    /// <summary>The utility of every conv block of <paramref name="architecture"/> with the weights saved at <paramref name="weightsPath"/>.</summary>
    public static IReadOnlyList<BlockUtility> Measure(CnnArchitecture architecture, string weightsPath)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        TorchNative.EnsureLoaded();
        using var model = CnnModelFactory.Build(architecture);
        model.load(weightsPath);
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var scores = new List<double[]>(architecture.Blocks.Count);
        using var noGrad = torch.no_grad();
        for (var i = 0; i < architecture.Blocks.Count; i++)
        {
            using var scope = torch.NewDisposeScope();
            var weight = parameters[$"conv{i}.weight"];
            var fanIn = weight.shape[1] * weight.shape[2] * weight.shape[3];
            var score = weight.abs().mean([1, 2, 3]) * Math.Sqrt(fanIn);
            if (parameters.TryGetValue($"bn{i}.weight", out var gamma)) score *= gamma.abs();
            scores.Add(score.to_type(torch.ScalarType.Float64).cpu().data<double>().ToArray());
        }
        return FromFilterScores(scores);
    }

    /// <summary>Block utilities from per-filter scores (one array per block, in block order).</summary>
    public static IReadOnlyList<BlockUtility> FromFilterScores(IReadOnlyList<double[]> filterScores)
    {
        ArgumentNullException.ThrowIfNull(filterScores);
        var networkMean = filterScores.SelectMany(s => s).DefaultIfEmpty(0).Average();
        return filterScores.Select((scores, block) =>
        {
            if (networkMean <= 0 || scores.Length == 0) return new BlockUtility(block, 0, 1, 0);
            var strong = scores.Count(s => s >= WeakFilterThreshold * networkMean);
            return new BlockUtility(block, scores.Average() / networkMean, 1 - strong / (double)scores.Length, strong);
        }).ToList();
    }
}
