namespace AutoMLStudio.Bench;

/// <summary>Repeated measurements of one figure: the median is reported, the range shows how noisy the machine was.</summary>
public sealed class Spread
{
    private readonly List<double> _values = [];

    public void Add(double value) => _values.Add(value);

    public double Median
    {
        get
        {
            var sorted = _values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }

    public override string ToString() =>
        $"median {Median,8:N0}   range {_values.Min():N0}..{_values.Max():N0} ({(_values.Max() - _values.Min()) / Median:P0} of median, n={_values.Count})";

    public string Format(string format) =>
        $"median {Median.ToString(format)}   range {_values.Min().ToString(format)}..{_values.Max().ToString(format)} (n={_values.Count})";
}
