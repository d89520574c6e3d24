using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoMLStudio.Engine.Metrics;

/// <summary>
/// Counts of a classifier's answers indexed [true class][predicted class]. Compared by value and written to JSON as a
/// plain array of rows, so it can sit in checkpoint files, database columns and API responses alike.
/// </summary>
[JsonConverter(typeof(ConfusionMatrixJsonConverter))]
public sealed class ConfusionMatrix : IEquatable<ConfusionMatrix>
{
    private readonly int[][] _counts;

    /// <summary>An all-zero matrix for <paramref name="classCount"/> classes.</summary>
    public ConfusionMatrix(int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(classCount);
        _counts = Enumerable.Range(0, classCount).Select(_ => new int[classCount]).ToArray();
    }

    /// <summary>A copy of <paramref name="counts"/>, which must be square with non-negative counts.</summary>
    public ConfusionMatrix(IReadOnlyList<IReadOnlyList<int>> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Any(row => row is null || row.Count != counts.Count))
            throw new ArgumentException($"A confusion matrix must be square: {counts.Count} rows of {counts.Count} counts.", nameof(counts));
        if (counts.Any(row => row.Any(c => c < 0))) throw new ArgumentException("Counts cannot be negative.", nameof(counts));
        _counts = counts.Select(row => row.ToArray()).ToArray();
    }

    /// <summary>Number of classes (rows and columns).</summary>
    public int ClassCount => _counts.Length;

    /// <summary>How many items of class <paramref name="truth"/> were predicted as <paramref name="predicted"/>.</summary>
    public int this[int truth, int predicted] => _counts[truth][predicted];

    /// <summary>Number of items counted.</summary>
    public long Total => _counts.Sum(row => row.Sum(c => (long)c));

    /// <summary>Counts one answer.</summary>
    public void Add(int truth, int predicted) => _counts[truth][predicted]++;

    /// <summary>A copy of the counts as rows (true class) of columns (predicted class).</summary>
    public int[][] ToArray() => _counts.Select(row => row.ToArray()).ToArray();

    /// <inheritdoc />
    public bool Equals(ConfusionMatrix? other) =>
        other is not null && other.ClassCount == ClassCount && _counts.Zip(other._counts).All(p => p.First.AsSpan().SequenceEqual(p.Second));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ConfusionMatrix);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var row in _counts)
        foreach (var count in row) hash.Add(count);
        return hash.ToHashCode();
    }
}

/// <summary>Writes a <see cref="ConfusionMatrix"/> as <c>[[...],[...]]</c> and reads it back.</summary>
public sealed class ConfusionMatrixJsonConverter : JsonConverter<ConfusionMatrix>
{
    /// <inheritdoc />
    public override ConfusionMatrix Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(JsonSerializer.Deserialize<int[][]>(ref reader, options) ?? throw new JsonException("A confusion matrix cannot be null."));

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, ConfusionMatrix value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value.ToArray(), options);
}
