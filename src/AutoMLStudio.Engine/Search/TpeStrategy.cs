namespace AutoMLStudio.Engine.Search;

/// <summary>
/// Tree-structured Parzen estimator (Bergstra et al. 2011, as in Optuna's <c>TPESampler</c>, independent per dimension).
/// After <see cref="StartupTrials"/> random trials it splits what it was told into the best <see cref="Gamma"/> fraction
/// ("good") and the rest ("bad"; failed and pruned trials always count as bad), fits one density per dimension to each,
/// <c>l(x)</c> and <c>g(x)</c>, draws <see cref="Candidates"/> points from <c>l</c> and proposes the one with the highest
/// <c>l(x) / g(x)</c>: the point most typical of good trials and least typical of bad ones.
/// </summary>
public sealed class TpeStrategy : ISearchStrategy<ParameterSet>
{
    private readonly ParameterSpace _space;
    private readonly int _seed;
    private readonly SpaceHistory _history = new();

    /// <summary>A TPE search over <paramref name="space"/>.</summary>
    /// <param name="space">The space to search.</param>
    /// <param name="seed">Seed; trial <c>n</c> draws from <c>Random(Seeds.Combine(seed, n))</c>.</param>
    /// <param name="startupTrials">Trials told before the model is used; until then it samples at random.</param>
    /// <param name="gamma">Fraction of finished trials that count as good.</param>
    /// <param name="candidates">Points drawn from <c>l(x)</c> per ask.</param>
    public TpeStrategy(ParameterSpace space, int seed, int startupTrials = 10, double gamma = 0.25, int candidates = 24)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentOutOfRangeException.ThrowIfNegative(startupTrials);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(gamma, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(gamma, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(candidates, 1);
        _space = space;
        _seed = seed;
        StartupTrials = startupTrials;
        Gamma = gamma;
        Candidates = candidates;
    }

    /// <summary>
    /// The startup trial count for the trials a budget is expected to buy: a quarter of them, at least 3 (fewer leave the
    /// densities guessing) and at most 20, so that a short search still spends most of its trials learning.
    /// </summary>
    public static int DefaultStartupTrials(int expectedTrials) => Math.Clamp(expectedTrials / 4, 3, 20);

    /// <inheritdoc />
    public string Name => "tpe";

    /// <summary>Trials told before the model is used.</summary>
    public int StartupTrials { get; }

    /// <summary>Fraction of finished trials that count as good.</summary>
    public double Gamma { get; }

    /// <summary>Points drawn from <c>l(x)</c> per ask.</summary>
    public int Candidates { get; }

    /// <inheritdoc />
    public void Tell(Observation<ParameterSet> observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        _history.Add(observation.Number, observation.Point, observation.Objective);
    }

    /// <inheritdoc />
    public ParameterSet Ask(int trialNumber)
    {
        var rng = new Random(Seeds.Combine(_seed, trialNumber));
        var ranked = _history.BestFirst();
        var finished = ranked.Count(o => o.Objective is not null);
        // With fewer than two results there is no good/bad contrast to learn from.
        if (ranked.Count < StartupTrials || finished < 2) return _space.Sample(rng);

        var goodCount = Math.Max(1, (int)Math.Ceiling(Gamma * finished));
        var good = ranked.Take(goodCount).Select(o => o.Point).ToArray();
        var bad = ranked.Skip(goodCount).Select(o => o.Point).ToArray();
        var estimators = _space.Dimensions
            .Select(d => (Dimension: d, Good: ParzenEstimator.Fit(d, good), Bad: ParzenEstimator.Fit(d, bad)))
            .ToArray();

        ParameterSet? best = null;
        var bestScore = double.NegativeInfinity;
        for (var c = 0; c < Candidates; c++)
        {
            var values = new List<KeyValuePair<string, object>>(estimators.Length);
            var score = 0.0;
            foreach (var (dimension, l, g) in estimators)
            {
                var x = l.Sample(rng);
                score += l.LogDensity(x) - g.LogDensity(x);
                values.Add(new(dimension.Name, l.ToValue(x)));
            }
            if (score > bestScore)
            {
                bestScore = score;
                best = new ParameterSet(values);
            }
        }
        return best!;
    }

    /// <summary>A one-dimensional density fitted to observed values of one dimension.</summary>
    private abstract class ParzenEstimator
    {
        public static ParzenEstimator Fit(ParameterDimension dimension, IReadOnlyList<ParameterSet> observed) => dimension switch
        {
            CategoricalDimension c => new CategoricalEstimator(c, observed.Select(p => c.IndexOf(p.GetString(c.Name)))),
            NumericDimension n => new NumericEstimator(n, observed.Select(p => n.ToInternal(p.GetDouble(n.Name)))),
            _ => throw new NotSupportedException($"TPE has no estimator for {dimension.GetType().Name}."),
        };

        /// <summary>A draw, as a point of the estimator's own axis (internal axis, or choice index).</summary>
        public abstract double Sample(Random rng);

        public abstract double LogDensity(double x);

        public abstract object ToValue(double x);
    }

    /// <summary>Smoothed counts: each choice gets its count plus one, so an unseen choice keeps some chance.</summary>
    private sealed class CategoricalEstimator : ParzenEstimator
    {
        private readonly CategoricalDimension _dimension;
        private readonly double[] _weights;
        private readonly double _logTotal;

        public CategoricalEstimator(CategoricalDimension dimension, IEnumerable<int> observed)
        {
            _dimension = dimension;
            _weights = Enumerable.Repeat(1.0, dimension.Choices.Count).ToArray();
            foreach (var index in observed.Where(i => i >= 0)) _weights[index] += 1;
            _logTotal = Math.Log(_weights.Sum());
        }

        public override double Sample(Random rng) => Distributions.SampleIndex(rng, _weights);

        public override double LogDensity(double x) => Math.Log(_weights[(int)x]) - _logTotal;

        public override object ToValue(double x) => _dimension.Choices[(int)x];
    }

    /// <summary>
    /// A mixture of Gaussians truncated to the internal axis: one per observation, with a width that reaches the
    /// farther neighbour (narrow where observations crowd, wide where they are sparse), plus a wide prior component
    /// centred on the range so that no region ever has zero density.
    /// </summary>
    private sealed class NumericEstimator : ParzenEstimator
    {
        private readonly NumericDimension _dimension;
        private readonly double _low;
        private readonly double _high;
        private readonly double[] _mus;
        private readonly double[] _sigmas;
        private readonly double[] _logMass; // log of each truncated component's mass inside [low, high]

        public NumericEstimator(NumericDimension dimension, IEnumerable<double> observed)
        {
            _dimension = dimension;
            _low = dimension.InternalLow;
            _high = dimension.InternalHigh;
            var width = Math.Max(_high - _low, 1e-12);
            var points = observed.Append((_low + _high) / 2).Order().ToArray();
            var priorIndex = Array.IndexOf(points, (_low + _high) / 2);
            var minSigma = width / Math.Min(100.0, 1.0 + points.Length);

            _mus = points;
            _sigmas = new double[points.Length];
            for (var i = 0; i < points.Length; i++)
            {
                var left = points[i] - (i > 0 ? points[i - 1] : _low);
                var right = (i < points.Length - 1 ? points[i + 1] : _high) - points[i];
                _sigmas[i] = Math.Clamp(Math.Max(left, right), minSigma, width);
            }
            _sigmas[priorIndex] = width;
            _logMass = new double[points.Length];
            for (var i = 0; i < points.Length; i++)
            {
                var mass = Distributions.NormalCdf((_high - _mus[i]) / _sigmas[i]) - Distributions.NormalCdf((_low - _mus[i]) / _sigmas[i]);
                _logMass[i] = Math.Log(Math.Max(mass, 1e-300));
            }
        }

        public override double Sample(Random rng)
        {
            var i = rng.Next(_mus.Length);
            for (var attempt = 0; attempt < 32; attempt++)
            {
                var x = _mus[i] + _sigmas[i] * Distributions.SampleNormal(rng);
                if (x >= _low && x <= _high) return x;
            }
            return Math.Clamp(_mus[i], _low, _high);
        }

        public override double LogDensity(double x)
        {
            // log-sum-exp over equally weighted components, stable for far-away points.
            var terms = new double[_mus.Length];
            var max = double.NegativeInfinity;
            for (var i = 0; i < _mus.Length; i++)
            {
                var z = (x - _mus[i]) / _sigmas[i];
                terms[i] = -0.5 * z * z - Math.Log(_sigmas[i]) - _logMass[i];
                max = Math.Max(max, terms[i]);
            }
            var sum = 0.0;
            foreach (var t in terms) sum += Math.Exp(t - max);
            return max + Math.Log(sum) - Math.Log(_mus.Length);
        }

        public override object ToValue(double x) => _dimension.FromInternal(x);
    }
}
