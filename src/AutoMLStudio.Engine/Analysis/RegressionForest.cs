namespace AutoMLStudio.Engine.Analysis;

/// <summary>
/// A random forest of regression trees (bootstrap rows, a random half of the columns tried at each split, grown until
/// leaves are pure or single rows): a surrogate of a search's metric that needs no tuning, copes with a few tens of
/// points, and mixes numbers and one-hot choices. Deterministic for a given seed and input order.
/// </summary>
internal sealed class RegressionForest
{
    private const int DefaultTrees = 32;
    private readonly RegressionTree[] _trees;

    private RegressionForest(RegressionTree[] trees) => _trees = trees;

    public static RegressionForest Fit(IReadOnlyList<double[]> rows, IReadOnlyList<double> targets, int seed, int trees = DefaultTrees)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(targets);
        if (rows.Count == 0 || rows.Count != targets.Count) throw new ArgumentException("A forest needs one target per row, and at least one row.");
        var rng = new Random(seed);
        // Half the columns per split: a setting almost as telling as the strongest still gets split on in some trees,
        // so the forest does not credit the strongest with everything.
        var columnsPerSplit = Math.Max(1, (int)Math.Ceiling(rows[0].Length / 2.0));
        var forest = new RegressionTree[trees];
        for (var t = 0; t < trees; t++)
        {
            var sample = new int[rows.Count];
            for (var i = 0; i < sample.Length; i++) sample[i] = rng.Next(rows.Count);
            forest[t] = RegressionTree.Grow(rows, targets, sample, columnsPerSplit, rng);
        }
        return new RegressionForest(forest);
    }

    /// <summary>The trees' mean prediction for <paramref name="row"/>.</summary>
    public double Predict(ReadOnlySpan<double> row)
    {
        var sum = 0.0;
        foreach (var tree in _trees) sum += tree.Predict(row);
        return sum / _trees.Length;
    }
}

/// <summary>One regression tree: axis-aligned splits that minimise the squared error, stored as flat node arrays.</summary>
internal sealed class RegressionTree
{
    private readonly List<int> _column = [];
    private readonly List<double> _threshold = [];
    private readonly List<int> _left = [];
    private readonly List<int> _right = [];
    private readonly List<double> _value = [];

    public static RegressionTree Grow(IReadOnlyList<double[]> rows, IReadOnlyList<double> targets, int[] sample, int columnsPerSplit, Random rng)
    {
        var tree = new RegressionTree();
        tree.GrowNode(rows, targets, sample, columnsPerSplit, rng);
        return tree;
    }

    public double Predict(ReadOnlySpan<double> row)
    {
        var node = 0;
        while (_column[node] >= 0) node = row[_column[node]] <= _threshold[node] ? _left[node] : _right[node];
        return _value[node];
    }

    private int GrowNode(IReadOnlyList<double[]> rows, IReadOnlyList<double> targets, int[] sample, int columnsPerSplit, Random rng)
    {
        var node = AddLeaf(sample.Average(i => targets[i]));
        if (sample.Length < 2 || sample.All(i => targets[i] == targets[sample[0]])) return node;

        var split = BestSplit(rows, targets, sample, columnsPerSplit, rng);
        if (split is not { } best) return node;
        var left = sample.Where(i => rows[i][best.Column] <= best.Threshold).ToArray();
        var right = sample.Where(i => rows[i][best.Column] > best.Threshold).ToArray();
        _column[node] = best.Column;
        _threshold[node] = best.Threshold;
        _left[node] = GrowNode(rows, targets, left, columnsPerSplit, rng);
        _right[node] = GrowNode(rows, targets, right, columnsPerSplit, rng);
        return node;
    }

    private int AddLeaf(double value)
    {
        _column.Add(-1);
        _threshold.Add(0);
        _left.Add(-1);
        _right.Add(-1);
        _value.Add(value);
        return _value.Count - 1;
    }

    // Minimising the children's squared error is maximising sumL²/nL + sumR²/nR; only cuts between distinct values count.
    private static (int Column, double Threshold)? BestSplit(IReadOnlyList<double[]> rows, IReadOnlyList<double> targets, int[] sample,
        int columnsPerSplit, Random rng)
    {
        var columns = Enumerable.Range(0, rows[0].Length).ToArray();
        rng.Shuffle(columns);
        var total = sample.Sum(i => targets[i]);
        var bestScore = total * total / sample.Length + 1e-12 * Math.Max(1, Math.Abs(total));
        (int, double)? best = null;
        var order = new int[sample.Length];
        var keys = new double[sample.Length];
        var tried = 0;
        // As in CART forests: a column that does not vary in this node does not count, so a node is only left unsplit
        // when no column could split it, not when the draw was unlucky.
        foreach (var column in columns)
        {
            if (tried == columnsPerSplit) break;
            for (var k = 0; k < sample.Length; k++) (order[k], keys[k]) = (sample[k], rows[sample[k]][column]);
            Array.Sort(keys, order);
            if (keys[0] == keys[^1]) continue;
            tried++;
            var leftSum = 0.0;
            for (var k = 1; k < sample.Length; k++)
            {
                leftSum += targets[order[k - 1]];
                if (keys[k] == keys[k - 1]) continue;
                var rightSum = total - leftSum;
                var score = leftSum * leftSum / k + rightSum * rightSum / (sample.Length - k);
                if (score > bestScore) (bestScore, best) = (score, (column, (keys[k - 1] + keys[k]) / 2));
            }
        }
        return best;
    }
}
