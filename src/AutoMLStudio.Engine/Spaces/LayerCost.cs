namespace AutoMLStudio.Engine.Spaces;

/// <summary>
/// The analytic cost of one layer of a model, for constraints checked before training and for the per-trial display.
/// </summary>
/// <param name="Layer">The layer's module name, as in the built module's parameter names (<c>body.hidden0</c>).</param>
/// <param name="Parameters">Trainable parameters of the layer.</param>
/// <param name="Macs">Multiply-accumulates for one example (batch 1); one MAC counts as one FLOP, as for the CNNs.</param>
public sealed record LayerCost(string Layer, long Parameters, long Macs);

/// <summary>Totals over a model's <see cref="LayerCost"/>s.</summary>
public static class LayerCosts
{
    /// <summary>Sum of the layers' parameters.</summary>
    public static long TotalParameters(this IEnumerable<LayerCost> layers) => layers.Sum(l => l.Parameters);

    /// <summary>Sum of the layers' multiply-accumulates.</summary>
    public static long TotalMacs(this IEnumerable<LayerCost> layers) => layers.Sum(l => l.Macs);
}
