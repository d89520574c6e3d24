using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace AutoMLStudio.Core.Data;

/// <summary>
/// A typed property kept in a JSON text column. A value converter rather than EF's JSON mapping: the columns hold text
/// the previous releases wrote with these very serializer options (some camelCase, some not), which must read back
/// unchanged on SQLite and PostgreSQL alike, and records with positional constructors and Engine types do not fit
/// EF's complex types.
/// </summary>
public static class JsonColumns
{
    /// <summary>
    /// Stores <typeparamref name="T"/> in <paramref name="column"/> (the name the string property had) as JSON written with
    /// <paramref name="options"/> (null: the serializer's defaults); <paramref name="read"/> completes what older rows lack.
    /// </summary>
    public static PropertyBuilder<T> HasJson<T>(this PropertyBuilder<T> property, string column, JsonSerializerOptions? options = null,
        Func<T, T>? read = null) where T : class?
    {
        var converter = new ValueConverter<T, string>(
            v => JsonSerializer.Serialize(v, options),
            s => Read(s, options, read));
        // Compared by their JSON: the values are records with arrays and lists, whose own equality is by reference.
        var comparer = new ValueComparer<T>(
            (a, b) => Json(a, options) == Json(b, options),
            v => Json(v, options).GetHashCode(StringComparison.Ordinal),
            v => Copy(v, options));
        property.HasConversion(converter, comparer).HasColumnName(column);
        return property;
    }

    private static string Json<T>(T value, JsonSerializerOptions? options) where T : class? =>
        value is null ? "" : JsonSerializer.Serialize(value, options);

    private static T Copy<T>(T value, JsonSerializerOptions? options) where T : class? =>
        value is null ? value! : JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, options), options)!;

    private static T Read<T>(string json, JsonSerializerOptions? options, Func<T, T>? read) where T : class?
    {
        var value = JsonSerializer.Deserialize<T>(json, options) ?? throw new InvalidDataException($"The column holds JSON null where a {typeof(T).Name} belongs.");
        return read is null ? value : read(value);
    }
}
