namespace AutoMLStudio.Engine.Search;

/// <summary>The few probability helpers the strategies need, written out so that results never depend on a library version.</summary>
internal static class Distributions
{
    /// <summary>A standard normal draw (Box-Muller; one of the pair is discarded so each draw uses a fixed two uniforms).</summary>
    public static double SampleNormal(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Standard normal cumulative distribution.</summary>
    public static double NormalCdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2.0));

    /// <summary>
    /// Complementary error function (Numerical Recipes' Chebyshev fit, relative error below 1.2e-7), accurate in the
    /// tails where <c>1 - erf</c> would cancel.
    /// </summary>
    public static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1.0 / (1.0 + 0.5 * z);
        var r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2.0 - r;
    }

    /// <summary>Index drawn with probability proportional to <paramref name="weights"/>.</summary>
    public static int SampleIndex(Random rng, IReadOnlyList<double> weights)
    {
        var total = 0.0;
        foreach (var w in weights) total += w;
        var u = rng.NextDouble() * total;
        for (var i = 0; i < weights.Count; i++)
        {
            u -= weights[i];
            if (u < 0) return i;
        }
        return weights.Count - 1;
    }
}
