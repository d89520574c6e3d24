using System.Globalization;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Engine.Tests.Tabular;

/// <summary>Generated tables whose answer is known, for tabular preprocessing and training tests.</summary>
internal static class TabularTestData
{
    public static readonly string[] Colors = ["red", "green", "blue"];

    public static readonly TabularColumn[] ColorColumns =
    [
        new("color", TabularColumnTypes.Categorical),
        new("noise", TabularColumnTypes.Numeric),
        new("id", TabularColumnTypes.Identifier),
    ];

    public static readonly TabularColumn[] LinearColumns =
    [
        new("x1", TabularColumnTypes.Numeric),
        new("x2", TabularColumnTypes.Numeric),
    ];

    /// <summary>The label is the color's index; <c>noise</c> is a random number with no bearing on it.</summary>
    public static TabularExamples ColorTable(int count, int seed)
    {
        var rng = new Random(seed);
        var rows = new List<IReadOnlyDictionary<string, string?>>();
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            var label = rng.Next(Colors.Length);
            labels[i] = label;
            rows.Add(Row(("color", Colors[label]), ("noise", Number(rng.NextDouble() * 10 - 5)), ("id", $"{seed}-{i}")));
        }
        return new TabularExamples(rows, SupervisedTargets.Classes(labels, Colors.Length));
    }

    /// <summary><c>y = 3 x1 - 2 x2 + noise</c> with x1, x2 standard normal and noise of standard deviation 0.1.</summary>
    public static TabularExamples LinearTable(int count, int seed)
    {
        var rng = new Random(seed);
        var rows = new List<IReadOnlyDictionary<string, string?>>();
        var targets = new double[count];
        for (var i = 0; i < count; i++)
        {
            double x1 = Normal(rng), x2 = Normal(rng);
            targets[i] = 3 * x1 - 2 * x2 + 0.1 * Normal(rng);
            rows.Add(Row(("x1", Number(x1)), ("x2", Number(x2))));
        }
        return new TabularExamples(rows, SupervisedTargets.Numbers(targets));
    }

    public static IReadOnlyDictionary<string, string?> Row(params (string Column, string? Cell)[] cells) =>
        cells.ToDictionary(c => c.Column, c => c.Cell);

    public static double StandardDeviation(IReadOnlyCollection<double> values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
