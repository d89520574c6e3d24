using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace AutoMLStudio.Core.Data;

/// <summary>
/// The lower-case words an enum is stored and sent as ("image_classification", "tpe"): the strings the database and the
/// API held before these were enums, so neither changes.
/// </summary>
public static class WireNames<T> where T : struct, Enum
{
    private static readonly Dictionary<T, string> Names =
        Enum.GetValues<T>().ToDictionary(v => v, v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()));

    private static readonly Dictionary<string, T> Values = Names.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> All => Names.Values;

    public static string Name(T value) => Names[value];

    /// <summary>The value a word names, in any case and with spaces around; null for none.</summary>
    public static T? Find(string? name) =>
        name is not null && Values.TryGetValue(name.Trim().ToLowerInvariant(), out var value) ? value : null;

    /// <summary>A stored word; a word no version wrote is corrupt data, not user input.</summary>
    public static T Parse(string name) =>
        Find(name) ?? throw new InvalidDataException($"'{name}' is not a stored {typeof(T).Name} ({string.Join(", ", All)}).");
}

/// <summary>Stores an enum as its <see cref="WireNames{T}"/> word.</summary>
public sealed class WireNameConverter<T>() : ValueConverter<T, string>(v => WireNames<T>.Name(v), s => WireNames<T>.Parse(s))
    where T : struct, Enum;

/// <summary>Writes and reads an enum in JSON documents (model cards) as its <see cref="WireNames{T}"/> word.</summary>
public sealed class WireNameJsonConverter<T> : JsonConverter<T> where T : struct, Enum
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        WireNames<T>.Find(reader.GetString()) ?? throw new JsonException($"'{reader.GetString()}' is not a {typeof(T).Name}.");

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(WireNames<T>.Name(value));
}
