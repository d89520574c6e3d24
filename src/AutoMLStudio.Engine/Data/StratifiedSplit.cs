namespace AutoMLStudio.Engine.Data;

/// <summary>Train / validation / test assignment that keeps each class's share in every split.</summary>
public static class StratifiedSplit
{
    /// <summary>Split code for training items.</summary>
    public const int Train = 0;

    /// <summary>Split code for validation items.</summary>
    public const int Validation = 1;

    /// <summary>Split code for test items.</summary>
    public const int Test = 2;

    /// <summary>
    /// Returns, per item, 0 = train, 1 = validation, 2 = test. Deterministic by <paramref name="seed"/>: each class's
    /// items are shuffled with their own generator (seeded from the seed and the class, so adding a class does not
    /// move the others), then the first <c>round(n * validationFraction)</c> go to validation, the next
    /// <c>round(n * testFraction)</c> to test, the rest to train. A class with at least 3 items gets at least one item
    /// in each split whose fraction is above zero; classes with 1 or 2 items go to train.
    /// </summary>
    public static int[] Assign(IReadOnlyList<int> labels, int seed, double validationFraction = 0.15, double testFraction = 0.15)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (validationFraction < 0 || testFraction < 0 || validationFraction + testFraction >= 1)
            throw new ArgumentException("Validation and test fractions must be non-negative and add up to less than 1.");

        var result = new int[labels.Count];
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]))
        {
            var items = group.ToArray(); // ascending item order, so the shuffle input is stable
            if (items.Length < 3) continue; // stays train

            new Random(Seeds.Combine(seed, group.Key)).Shuffle(items);
            var n = items.Length;
            var validation = validationFraction > 0 ? Math.Max(1, (int)Math.Round(n * validationFraction)) : 0;
            var test = testFraction > 0 ? Math.Max(1, (int)Math.Round(n * testFraction)) : 0;
            while (n - validation - test < 1)
            {
                if (validation >= test && validation > 1) validation--;
                else if (test > 1) test--;
                else break;
            }

            for (var i = 0; i < n; i++)
                result[items[i]] = i < validation ? Validation : i < validation + test ? Test : Train;
        }
        return result;
    }
}
