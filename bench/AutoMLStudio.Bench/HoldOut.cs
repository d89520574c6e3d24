namespace AutoMLStudio.Bench;

/// <summary>Held-out rows that are the same on every run: a seeded draw, stratified by class where there are classes.</summary>
public static class HoldOut
{
    /// <summary>
    /// Marks <paramref name="count"/> of <paramref name="rows"/> rows to hold out, drawn with <paramref name="seed"/>: each class
    /// in proportion to its size (the largest remainders take what rounding leaves), or without classes (null) a plain draw.
    /// </summary>
    public static bool[] Draw(int[]? classes, int rows, int count, int seed)
    {
        var groups = classes is null
            ? [Enumerable.Range(0, rows).ToArray()]
            : Enumerable.Range(0, rows).GroupBy(i => classes[i]).OrderBy(g => g.Key).Select(g => g.ToArray()).ToArray();
        var exact = groups.Select(g => (double)g.Length * count / rows).ToArray();
        var quotas = exact.Select(e => (int)Math.Floor(e)).ToArray();
        var roundedUp = Enumerable.Range(0, groups.Length).OrderByDescending(g => exact[g] - quotas[g]).ThenBy(g => g)
            .Take(count - quotas.Sum()).ToList();
        foreach (var g in roundedUp) quotas[g]++;

        var random = new Random(seed);
        var held = new bool[rows];
        for (var g = 0; g < groups.Length; g++)
        {
            random.Shuffle(groups[g]);
            foreach (var row in groups[g].Take(quotas[g])) held[row] = true;
        }
        return held;
    }
}
