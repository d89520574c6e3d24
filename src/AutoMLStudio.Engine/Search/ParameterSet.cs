using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoMLStudio.Engine.Search;

/// <summary>
/// One point of a <see cref="ParameterSpace"/>: an immutable map from dimension name to value, a <see cref="double"/>
/// for numeric dimensions (integral for integer ones) and a <see cref="string"/> for categorical ones.
/// Equality compares names and values, whatever the order; JSON is a flat object (<c>{"learningRate":0.001,"optimizer":"adam"}</c>),
/// so the names of the space should already be camelCase.
/// </summary>
[JsonConverter(typeof(ParameterSetJsonConverter))]
public sealed class ParameterSet : IReadOnlyDictionary<string, object>, IEquatable<ParameterSet>
{
    private readonly KeyValuePair<string, object>[] _entries;
    private readonly Dictionary<string, object> _byName;

    /// <summary>Builds a set; numbers of any numeric type are stored as <see cref="double"/>.</summary>
    /// <exception cref="ArgumentException">A name repeats, or a value is neither a number nor a string.</exception>
    public ParameterSet(IEnumerable<KeyValuePair<string, object>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _entries = values.Select(v => new KeyValuePair<string, object>(v.Key, Normalise(v.Key, v.Value))).ToArray();
        _byName = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, value) in _entries)
        {
            if (!_byName.TryAdd(name, value)) throw new ArgumentException($"Parameter '{name}' appears twice.", nameof(values));
        }
    }

    /// <summary>The value of <paramref name="name"/>.</summary>
    public object this[string name] => _byName[name];

    /// <summary>Names in the order the set was built with (the space's order).</summary>
    public IEnumerable<string> Keys => _entries.Select(e => e.Key);

    /// <inheritdoc />
    public IEnumerable<object> Values => _entries.Select(e => e.Value);

    /// <inheritdoc />
    public int Count => _entries.Length;

    /// <summary>The numeric value of <paramref name="name"/>.</summary>
    public double GetDouble(string name) => (double)_byName[name];

    /// <summary>The value of integer dimension <paramref name="name"/>.</summary>
    public int GetInt(string name) => (int)Math.Round(GetDouble(name));

    /// <summary>The choice of categorical dimension <paramref name="name"/>.</summary>
    public string GetString(string name) => (string)_byName[name];

    /// <summary>A copy with <paramref name="name"/> set to <paramref name="value"/> (added at the end when new).</summary>
    public ParameterSet With(string name, object value) =>
        new(_byName.ContainsKey(name)
            ? _entries.Select(e => e.Key == name ? new KeyValuePair<string, object>(name, value) : e)
            : _entries.Append(new KeyValuePair<string, object>(name, value)));

    /// <inheritdoc />
    public bool ContainsKey(string key) => _byName.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out object value) =>
        _byName.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object>>)_entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public bool Equals(ParameterSet? other) =>
        other is not null && other.Count == Count
        && _entries.All(e => other._byName.TryGetValue(e.Key, out var v) && e.Value.Equals(v));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ParameterSet);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        // Order-independent, so that equal sets built in another order hash alike.
        var hash = 0;
        foreach (var (name, value) in _entries) hash ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(name), value);
        return hash;
    }

    /// <summary><c>name=value</c> pairs, for logs.</summary>
    public override string ToString() =>
        string.Join(", ", _entries.Select(e => $"{e.Key}={(e.Value is double d ? d.ToString("G6", CultureInfo.InvariantCulture) : e.Value)}"));

    private static object Normalise(string name, object value) => value switch
    {
        string s => s,
        double d => d,
        float or int or long or short or byte or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"Parameter '{name}' must be a number or a string, not {value?.GetType().Name ?? "null"}."),
    };
}

/// <summary>Writes a <see cref="ParameterSet"/> as a flat JSON object of numbers and strings.</summary>
public sealed class ParameterSetJsonConverter : JsonConverter<ParameterSet>
{
    /// <inheritdoc />
    public override ParameterSet Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("A parameter set is a JSON object.");
        var values = new List<KeyValuePair<string, object>>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            object value = reader.TokenType switch
            {
                JsonTokenType.Number => reader.GetDouble(),
                JsonTokenType.String => reader.GetString()!,
                _ => throw new JsonException($"Parameter '{name}' must be a number or a string."),
            };
            values.Add(new(name, value));
        }
        return new ParameterSet(values);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, ParameterSet value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (name, v) in value)
        {
            if (v is double d) writer.WriteNumber(name, d);
            else writer.WriteString(name, (string)v);
        }
        writer.WriteEndObject();
    }
}
