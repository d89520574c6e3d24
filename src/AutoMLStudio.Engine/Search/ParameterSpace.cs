using System.Globalization;

namespace AutoMLStudio.Engine.Search;

/// <summary>
/// An ordered list of named dimensions that search strategies explore, independent of what the parameters mean
/// (a CNN's layers, an MLP's widths, a learning rate). Strategies only sample, mutate and compare points of it.
/// </summary>
public sealed class ParameterSpace
{
    /// <summary>A space of the given dimensions, in that order.</summary>
    /// <exception cref="ArgumentException">There are no dimensions, or a name repeats.</exception>
    public ParameterSpace(IEnumerable<ParameterDimension> dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        Dimensions = dimensions.ToArray();
        if (Dimensions.Count == 0) throw new ArgumentException("A parameter space needs at least one dimension.", nameof(dimensions));
        var duplicate = Dimensions.GroupBy(d => d.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Dimension '{duplicate.Key}' appears twice.", nameof(dimensions));
    }

    /// <summary>A space of the given dimensions, in that order.</summary>
    public ParameterSpace(params ParameterDimension[] dimensions) : this((IEnumerable<ParameterDimension>)dimensions)
    {
    }

    /// <summary>The dimensions, in order.</summary>
    public IReadOnlyList<ParameterDimension> Dimensions { get; }

    /// <summary>Draws every dimension independently: uniform, or log-uniform on log dimensions.</summary>
    public ParameterSet Sample(Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return new ParameterSet(Dimensions.Select(d => new KeyValuePair<string, object>(d.Name, d.Sample(rng))));
    }

    /// <summary>Whether <paramref name="parameters"/> has exactly this space's names, each with a value inside its dimension.</summary>
    public bool Contains(ParameterSet parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.Count == Dimensions.Count
            && Dimensions.All(d => parameters.TryGetValue(d.Name, out var value) && d.Contains(value));
    }

    /// <summary>
    /// A mutated copy for evolution: each dimension changes with probability <paramref name="rate"/> (a categorical to
    /// another choice, a number by a Gaussian step of a fifth of its range, in log space on log dimensions), and at
    /// least one dimension that can change always does, so a child never equals its parent.
    /// </summary>
    public ParameterSet Neighbour(ParameterSet parameters, Random rng, double rate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfNegative(rate);

        var variable = Dimensions.Where(d => d.CanVary).ToArray();
        var mutate = variable.Where(_ => rng.NextDouble() < rate).ToHashSet();
        if (mutate.Count == 0 && variable.Length > 0) mutate.Add(variable[rng.Next(variable.Length)]);
        return new ParameterSet(Dimensions.Select(d => new KeyValuePair<string, object>(
            d.Name, mutate.Contains(d) ? d.Mutate(parameters[d.Name], rng) : parameters[d.Name])));
    }
}

/// <summary>One named axis of a <see cref="ParameterSpace"/>.</summary>
public abstract class ParameterDimension
{
    private protected ParameterDimension(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The parameter's name (camelCase, as it appears in JSON).</summary>
    public string Name { get; }

    /// <summary>A categorical dimension over <paramref name="choices"/>.</summary>
    public static CategoricalDimension Categorical(string name, params string[] choices) => new(name, choices);

    /// <summary>Integers from <paramref name="min"/> to <paramref name="max"/> inclusive; log-uniform when <paramref name="log"/>.</summary>
    public static IntRangeDimension IntRange(string name, int min, int max, bool log = false) => new(name, min, max, log);

    /// <summary>Reals from <paramref name="min"/> to <paramref name="max"/>; log-uniform when <paramref name="log"/>.</summary>
    public static FloatRangeDimension FloatRange(string name, double min, double max, bool log = false) => new(name, min, max, log);

    /// <summary>A uniform (or log-uniform) draw: a <see cref="string"/> for categoricals, a <see cref="double"/> otherwise.</summary>
    public abstract object Sample(Random rng);

    /// <summary>Whether <paramref name="value"/> is a valid value of this dimension.</summary>
    public abstract bool Contains(object value);

    /// <summary>False where the dimension has a single value, so mutation cannot change it.</summary>
    internal abstract bool CanVary { get; }

    /// <summary>A different value near <paramref name="value"/> (categoricals: any other choice).</summary>
    internal abstract object Mutate(object value, Random rng);
}

/// <summary>A dimension whose values are names, with no order between them.</summary>
public sealed class CategoricalDimension : ParameterDimension
{
    internal CategoricalDimension(string name, IReadOnlyList<string> choices) : base(name)
    {
        ArgumentNullException.ThrowIfNull(choices);
        if (choices.Count == 0) throw new ArgumentException($"Categorical '{name}' needs at least one choice.", nameof(choices));
        if (choices.Distinct(StringComparer.Ordinal).Count() != choices.Count)
            throw new ArgumentException($"Categorical '{name}' repeats a choice.", nameof(choices));
        Choices = choices.ToArray();
    }

    /// <summary>The choices, in order.</summary>
    public IReadOnlyList<string> Choices { get; }

    /// <summary>The position of <paramref name="choice"/> in <see cref="Choices"/>, or -1.</summary>
    public int IndexOf(string choice)
    {
        for (var i = 0; i < Choices.Count; i++)
        {
            if (string.Equals(Choices[i], choice, StringComparison.Ordinal)) return i;
        }
        return -1;
    }

    /// <inheritdoc />
    public override object Sample(Random rng) => Choices[rng.Next(Choices.Count)];

    /// <inheritdoc />
    public override bool Contains(object value) => value is string s && IndexOf(s) >= 0;

    internal override bool CanVary => Choices.Count > 1;

    internal override object Mutate(object value, Random rng)
    {
        // Draw among the other choices only, so a mutation always changes something.
        var current = IndexOf((string)value);
        var pick = rng.Next(Choices.Count - 1);
        return Choices[current >= 0 && pick >= current ? pick + 1 : pick];
    }
}

/// <summary>
/// A numeric dimension. Strategies work on its <em>internal</em> axis: the value itself, or its logarithm on log
/// dimensions, so that "near" means "within a factor" for learning rates and widths; integer dimensions widen the axis
/// by half a step at each end so that rounding gives every integer the same share.
/// </summary>
public abstract class NumericDimension : ParameterDimension
{
    private protected NumericDimension(string name, double min, double max, bool log) : base(name)
    {
        if (!(min <= max)) throw new ArgumentException($"Dimension '{name}' needs min <= max (got {min} and {max}).");
        if (log && min <= 0) throw new ArgumentException($"Log dimension '{name}' needs a positive minimum (got {min}).");
        Min = min;
        Max = max;
        Log = log;
    }

    /// <summary>Smallest value.</summary>
    public double Min { get; }

    /// <summary>Largest value.</summary>
    public double Max { get; }

    /// <summary>Whether values are spread log-uniformly.</summary>
    public bool Log { get; }

    /// <summary>Lower end of the internal axis.</summary>
    internal abstract double InternalLow { get; }

    /// <summary>Upper end of the internal axis.</summary>
    internal abstract double InternalHigh { get; }

    /// <summary>The point of the internal axis where <paramref name="value"/> lies.</summary>
    internal double ToInternal(double value) => Log ? Math.Log(value) : value;

    /// <summary>The value at internal point <paramref name="x"/>, clamped into range (and rounded on integer dimensions).</summary>
    internal abstract double FromInternal(double x);

    /// <inheritdoc />
    public override object Sample(Random rng) => FromInternal(InternalLow + rng.NextDouble() * (InternalHigh - InternalLow));

    internal override bool CanVary => Max > Min;

    internal override object Mutate(object value, Random rng)
    {
        var x = ToInternal((double)value);
        var width = InternalHigh - InternalLow;
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var step = Distributions.SampleNormal(rng) * width / 5;
            var mutated = FromInternal(Math.Clamp(x + step, InternalLow, InternalHigh));
            if (mutated != (double)value) return mutated;
        }
        // Small integer ranges can round back to the same value; fall back to any other value.
        return SampleOther((double)value, rng);
    }

    private protected abstract double SampleOther(double value, Random rng);

    private protected static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}

/// <summary>Integers in [<see cref="NumericDimension.Min"/>, <see cref="NumericDimension.Max"/>], stored as whole <see cref="double"/> values.</summary>
public sealed class IntRangeDimension : NumericDimension
{
    internal IntRangeDimension(string name, int min, int max, bool log) : base(name, min, max, log)
    {
    }

    internal override double InternalLow => Log ? Math.Log(Min - 0.5) : Min - 0.5;

    internal override double InternalHigh => Log ? Math.Log(Max + 0.5) : Max + 0.5;

    internal override double FromInternal(double x) =>
        Math.Clamp(Math.Round(Log ? Math.Exp(x) : x, MidpointRounding.AwayFromZero), Min, Max);

    /// <inheritdoc />
    public override bool Contains(object value) => value is double d && d >= Min && d <= Max && d == Math.Round(d);

    private protected override double SampleOther(double value, Random rng)
    {
        var pick = Min + rng.Next((int)(Max - Min));
        return pick >= value ? pick + 1 : pick;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name}: int {Format(Min)}..{Format(Max)}{(Log ? " (log)" : "")}";
}

/// <summary>Real numbers in [<see cref="NumericDimension.Min"/>, <see cref="NumericDimension.Max"/>].</summary>
public sealed class FloatRangeDimension : NumericDimension
{
    internal FloatRangeDimension(string name, double min, double max, bool log) : base(name, min, max, log)
    {
    }

    internal override double InternalLow => ToInternal(Min);

    internal override double InternalHigh => ToInternal(Max);

    internal override double FromInternal(double x) => Math.Clamp(Log ? Math.Exp(x) : x, Min, Max);

    /// <inheritdoc />
    public override bool Contains(object value) => value is double d && d >= Min && d <= Max;

    private protected override double SampleOther(double value, Random rng) => (double)Sample(rng);

    /// <inheritdoc />
    public override string ToString() => $"{Name}: float {Format(Min)}..{Format(Max)}{(Log ? " (log)" : "")}";
}
