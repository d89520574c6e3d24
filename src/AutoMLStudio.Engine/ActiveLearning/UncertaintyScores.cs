namespace AutoMLStudio.Engine.ActiveLearning;

/// <summary>How unsure a model is of one item, on a common [0, 1] scale, and the reason in words.</summary>
internal static class UncertaintyScores
{
    /// <summary>Each item's score under <paramref name="strategy"/> (<c>uncertainty</c>, or margin's for <c>margin</c> and <c>badge</c>).</summary>
    public static double[] Of(double[][] probabilities, string strategy) =>
        strategy is LabelingQueue.Margin or LabelingQueue.Badge
            ? Array.ConvertAll(probabilities, Margin)
            : Array.ConvertAll(probabilities, Entropy);

    // Divided by log(classes), so a uniform vector scores 1 whatever the class count: the diversity weight then
    // means the same for 2 classes and for 100.
    private static double Entropy(double[] p)
    {
        double h = 0;
        foreach (var v in p)
            if (v > 0) h -= v * Math.Log(v);
        return Math.Clamp(h / Math.Log(p.Length), 0, 1);
    }

    // 1 - (first - second): a tie between the top two scores 1 however the rest is spread.
    private static double Margin(double[] p)
    {
        var (first, second) = TopTwo(p);
        return 1 - (p[first] - p[second]);
    }

    /// <summary>E.g. "top two classes shirt 41% / t-shirt 38%".</summary>
    public static string Why(double[] p, IReadOnlyList<string>? classNames)
    {
        var (first, second) = TopTwo(p);
        string Name(int c) => classNames is null ? $"class {c}" : classNames[c];
        return $"top two classes {Name(first)} {p[first]:0%} / {Name(second)} {p[second]:0%}";
    }

    // The lower index wins equal probabilities, so the reason text is as deterministic as the order.
    private static (int First, int Second) TopTwo(double[] p)
    {
        int first = 0, second = 1;
        if (p[1] > p[0]) (first, second) = (1, 0);
        for (var c = 2; c < p.Length; c++)
        {
            if (p[c] > p[first]) (first, second) = (c, first);
            else if (p[c] > p[second]) second = c;
        }
        return (first, second);
    }
}
