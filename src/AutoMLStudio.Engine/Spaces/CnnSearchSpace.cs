using AutoMLStudio.Engine.Models;
using AutoMLStudio.Engine.Search;

namespace AutoMLStudio.Engine.Spaces;

/// <summary>The space of small cell-based image CNNs and their training settings, with analytic cost models.</summary>
public static class CnnSearchSpace
{
    /// <summary>The last feature map is at most this wide: every network has enough downsampling stages for it.</summary>
    public const int MaxFinalFeatureSize = 8;

    /// <summary>A stage downsamples only while its map is wider than this; smaller maps keep their resolution.</summary>
    public const int MinDownsampledSize = 4;

    /// <summary>
    /// Draws one configuration uniformly from <see cref="CnnParameterSpace.Create"/>'s space (see there for the ranges),
    /// so that random search and the other strategies search the very same space.
    /// </summary>
    public static TrialConfig Sample(Random rng, SearchSpaceContext ctx)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(ctx);
        return CnnParameterSpace.Decode(CnnParameterSpace.Create(ctx).Sample(rng), ctx);
    }

    /// <summary>
    /// Trainable parameters, counted analytically over every layer; equals the parameter count of the module
    /// <see cref="CnnModelFactory.Build"/> returns (normalisation and batch-norm running statistics are buffers, not
    /// parameters). Conv: <c>out * (in / groups) * k * k</c> (+ <c>out</c> bias when no batch norm follows), so a
    /// depthwise-separable conv is <c>k * k * in</c> + <c>in * out</c> (+ bias), a dilated conv costs what the plain one
    /// does, a 1x1 projection <c>in * out</c>; batch norm: <c>2 * channels</c>; linear: <c>in * out + out</c>;
    /// pooling, identity, ReLU and dropout: 0.
    /// </summary>
    public static long CountParameters(CnnArchitecture a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return a.BackboneSpec() is { } backbone ? Backbones.BackboneCost.CountParameters(backbone) : CnnLayerPlan.For(a).Parameters;
    }

    /// <summary>
    /// Multiply-accumulate operations (MACs) of one image (batch 1) through the convolutions and linear layers: conv
    /// <c>out * (in / groups) * k * k * H' * W'</c> at the conv's output size (a stride-2 conv at the halved size, a
    /// depthwise conv with groups = in), linear <c>in * out</c>. Biases, normalisation, batch norm, ReLU, pooling,
    /// residual additions and dropout are not counted; one MAC counts as one FLOP here (multiply by 2 for the
    /// "2 FLOPs per MAC" convention).
    /// </summary>
    public static long CountFlops(CnnArchitecture a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return a.BackboneSpec() is { } backbone ? Backbones.BackboneCost.CountFlops(backbone) : CnnLayerPlan.For(a).Macs;
    }
}
