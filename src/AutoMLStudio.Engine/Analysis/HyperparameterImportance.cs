using AutoMLStudio.Engine.Search;

namespace AutoMLStudio.Engine.Analysis;

/// <summary>A trial as the importance estimate sees it: where it was in the space, and the metric it reached.</summary>
public readonly record struct ScoredPoint(ParameterSet Parameters, double Metric);

/// <summary>Whether an importance estimate could be made.</summary>
public enum ImportanceOutcome
{
    /// <summary>Fewer than <see cref="HyperparameterImportance.MinimumTrials"/> usable trials.</summary>
    TooFewTrials,

    /// <summary>Every trial reached the same metric: there is no variation to explain.</summary>
    MetricConstant,

    /// <summary>Shares were estimated.</summary>
    Estimated,
}

/// <summary>One parameter's main effect.</summary>
/// <param name="Name">The dimension's name.</param>
/// <param name="Share">The share (0 to 1) of the surrogate's variance that this parameter explains on its own.</param>
/// <param name="Varied">False when every trial used the same value, so nothing can be said about it.</param>
public sealed record ParameterImportance(string Name, double Share, bool Varied);

/// <summary>The result of <see cref="HyperparameterImportance.Estimate"/>.</summary>
/// <param name="Outcome">Whether shares were estimated.</param>
/// <param name="TrialCount">The trials used: completed, with a finite metric and a point inside the space.</param>
/// <param name="Parameters">Every dimension, largest share first (then varied before not, then in the space's order); empty unless estimated.</param>
public sealed record ImportanceEstimate(ImportanceOutcome Outcome, int TrialCount, IReadOnlyList<ParameterImportance> Parameters)
{
    /// <summary>The variance the parameters explain one at a time; the rest comes from parameters acting together.</summary>
    public double MainEffectsShare => Math.Min(1, Parameters.Sum(p => p.Share));
}

/// <summary>
/// Which hyperparameters moved a search's metric, in the style of fANOVA (Hutter, Hoos and Leyton-Brown, 2014): a random
/// forest is fitted to the trials as a surrogate of the metric, and each parameter's main effect is the variance of the
/// surrogate's marginal prediction over that parameter's values (the other parameters averaged out over the whole space),
/// divided by the surrogate's total variance over the space. Numbers are read on their dimension's scale (log where the
/// dimension is log), choices one-hot. The marginals are Monte Carlo averages over points drawn uniformly from the
/// space, rather than fANOVA's exact sums over tree leaves: simpler, and exact enough to rank a few tens of parameters.
/// </summary>
public static class HyperparameterImportance
{
    /// <summary>Below this many trials a forest has too little to learn from to say anything.</summary>
    public const int MinimumTrials = 5;

    private const int BackgroundPoints = 128;
    private const int NumericGridPoints = 12;

    /// <summary>
    /// The main-effect share of every dimension of <paramref name="space"/>. Points outside the space (configurations of
    /// an older space) and non-finite metrics are left out. The same input and <paramref name="seed"/> give the same shares.
    /// </summary>
    public static ImportanceEstimate Estimate(ParameterSpace space, IEnumerable<ScoredPoint> trials, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(trials);
        var usable = trials.Where(t => double.IsFinite(t.Metric) && space.Contains(t.Parameters)).ToList();
        if (usable.Count < MinimumTrials) return new(ImportanceOutcome.TooFewTrials, usable.Count, []);
        var metrics = usable.Select(t => t.Metric).ToList();
        var spread = metrics.Max() - metrics.Min();
        if (spread <= 1e-12 * Math.Max(1, Math.Abs(metrics[0]))) return new(ImportanceOutcome.MetricConstant, usable.Count, []);

        var layout = new FeatureLayout(space);
        var rng = new Random(seed);
        var forest = RegressionForest.Fit(usable.Select(t => layout.Encode(t.Parameters)).ToList(), metrics, rng.Next());
        var background = Enumerable.Range(0, BackgroundPoints).Select(_ => layout.Encode(space.Sample(rng))).ToList();
        var total = Variance(background.Select(row => forest.Predict(row)).ToList());
        if (total <= 1e-12 * spread * spread) return new(ImportanceOutcome.MetricConstant, usable.Count, []);

        var changed = new double[background[0].Length];
        var shares = space.Dimensions.Select((dimension, d) =>
        {
            var marginal = layout.Grid(d).Select(setting => background.Average(row =>
            {
                row.CopyTo(changed, 0);
                setting.CopyTo(changed, layout.FirstColumn(d));
                return forest.Predict(changed);
            })).ToList();
            var varied = usable.Select(t => t.Parameters[dimension.Name]).Distinct().Skip(1).Any();
            return new ParameterImportance(dimension.Name, Math.Clamp(Variance(marginal) / total, 0, 1), varied);
        }).ToList();
        // Stable: equal shares keep the space's order, those the trials never varied last.
        return new(ImportanceOutcome.Estimated, usable.Count, [.. shares.OrderByDescending(p => p.Share).ThenByDescending(p => p.Varied)]);
    }

    private static double Variance(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / values.Count;
    }

    /// <summary>The forest's columns: one per numeric dimension (its <see cref="ParameterScale"/> position), one per choice.</summary>
    private sealed class FeatureLayout
    {
        private readonly ParameterSpace _space;
        private readonly int[] _first;
        private readonly int _columns;

        public FeatureLayout(ParameterSpace space)
        {
            _space = space;
            _first = new int[space.Dimensions.Count];
            for (var d = 0; d < _first.Length; d++)
            {
                _first[d] = _columns;
                _columns += Width(space.Dimensions[d]);
            }
        }

        public int FirstColumn(int dimension) => _first[dimension];

        public double[] Encode(ParameterSet parameters)
        {
            var row = new double[_columns];
            for (var d = 0; d < _first.Length; d++) Setting(_space.Dimensions[d], parameters[_space.Dimensions[d].Name]).CopyTo(row, _first[d]);
            return row;
        }

        /// <summary>The settings the marginal of dimension <paramref name="d"/> is averaged over, each as its columns' values.</summary>
        public IEnumerable<double[]> Grid(int d) => _space.Dimensions[d] switch
        {
            CategoricalDimension c => c.Choices.Select(choice => Setting(c, choice)),
            IntRangeDimension i when i.Max - i.Min < NumericGridPoints =>
                Enumerable.Range((int)i.Min, (int)(i.Max - i.Min) + 1).Select(v => Setting(i, (double)v)),
            _ => Enumerable.Range(0, NumericGridPoints).Select(k => new[] { (k + 0.5) / NumericGridPoints }),
        };

        private static int Width(ParameterDimension dimension) => dimension is CategoricalDimension c ? c.Choices.Count : 1;

        private static double[] Setting(ParameterDimension dimension, object value)
        {
            if (dimension is not CategoricalDimension categorical) return [ParameterScale.Position(dimension, value)];
            var oneHot = new double[categorical.Choices.Count];
            if (value is string choice && categorical.IndexOf(choice) is >= 0 and var index) oneHot[index] = 1;
            return oneHot;
        }
    }
}
