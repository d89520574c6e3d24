namespace AutoMLStudio.Engine.Training;

/// <summary>
/// <c>(x - Mean) / Scale</c>, fitted on training values. Serialisable, so it travels with a model in its
/// preprocessing plan and prediction applies exactly what training did.
/// </summary>
/// <param name="Mean">Mean of the fitted values.</param>
/// <param name="Scale">Their standard deviation; 1 when they do not vary, so a constant maps to 0.</param>
public sealed record StandardScaling(double Mean, double Scale)
{
    /// <summary>Standardised values beyond this are clipped, so a single wild value cannot blow up a network's inputs.</summary>
    public const double Limit = 20;

    /// <summary>
    /// Mean and standard deviation of <paramref name="values"/> (finite ones). Values are divided by their largest
    /// magnitude first, so numbers near <see cref="double.MaxValue"/> do not overflow the sum of squares.
    /// </summary>
    public static StandardScaling Fit(IReadOnlyCollection<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length == 0) return new StandardScaling(0, 1);
        var magnitude = finite.Max(Math.Abs);
        if (magnitude == 0) return new StandardScaling(0, 1);

        double sum = 0, sumSquares = 0;
        foreach (var v in finite)
        {
            var s = v / magnitude;
            sum += s;
            sumSquares += s * s;
        }
        var mean = sum / finite.Length;
        var std = Math.Sqrt(Math.Max(0, sumSquares / finite.Length - mean * mean));
        // Relative spread below float precision means the values are one constant as far as the network can tell.
        return std < 1e-7 ? new StandardScaling(mean * magnitude, 1) : new StandardScaling(mean * magnitude, std * magnitude);
    }

    /// <summary>The standardised value, clipped to +-<see cref="Limit"/>.</summary>
    public double Apply(double value) => Math.Clamp((value - Mean) / Scale, -Limit, Limit);

    /// <summary>The value in the original units of standardised <paramref name="z"/> (no clipping).</summary>
    public double Invert(double z) => z * Scale + Mean;
}
