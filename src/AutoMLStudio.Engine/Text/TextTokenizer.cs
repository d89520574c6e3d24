using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Engine.Text;

/// <summary>
/// Lower-cased word tokens with a vocabulary from the training split: id <see cref="PaddingId"/> pads sequences,
/// <see cref="UnknownId"/> stands for words outside the vocabulary, and the vocabulary's words follow from 2 on, most
/// frequent first. Serialisable as JSON, so prediction tokenises exactly as training did.
/// </summary>
/// <param name="Vocabulary">Known words, most frequent first (ties in ordinal order).</param>
public sealed partial record TextTokenizer(IReadOnlyList<string> Vocabulary)
{
    /// <summary>Id of the padding token.</summary>
    public const int PaddingId = 0;

    /// <summary>Id of words outside the vocabulary.</summary>
    public const int UnknownId = 1;

    private Dictionary<string, int>? _ids;

    /// <summary>Rows of an embedding table over this vocabulary: the words plus padding and unknown.</summary>
    [JsonIgnore]
    public int Size => Vocabulary.Count + 2;

    /// <summary>
    /// Words of <paramref name="text"/>, lower-cased: runs of letters, marks and digits (with inner apostrophes, so
    /// "don't" stays one word); each Han, Hiragana and Katakana character is a word of its own, since those scripts
    /// do not separate words with spaces. Punctuation and symbols are dropped.
    /// </summary>
    public static IEnumerable<string> Words(string? text)
    {
        if (string.IsNullOrEmpty(text)) yield break;
        foreach (Match match in WordPattern().Matches(text)) yield return match.Value.ToLowerInvariant();
    }

    /// <summary>
    /// A vocabulary of at most <paramref name="maxVocabulary"/> words that occur at least <paramref name="minCount"/>
    /// times in <paramref name="texts"/> (the training split only).
    /// </summary>
    public static TextTokenizer Fit(IEnumerable<string?> texts, int maxVocabulary, int minCount = 2)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfNegative(maxVocabulary);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var word in texts.SelectMany(Words)) counts[word] = counts.GetValueOrDefault(word) + 1;
        return new TextTokenizer([.. counts.Where(c => c.Value >= minCount)
            .OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Take(maxVocabulary).Select(c => c.Key)]);
    }

    /// <summary>The ids of <paramref name="text"/>'s first <paramref name="maxLength"/> words (unknown words as <see cref="UnknownId"/>; no padding).</summary>
    public int[] Encode(string? text, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        _ids ??= Vocabulary.Select((w, i) => (w, i)).ToDictionary(p => p.w, p => p.i + 2, StringComparer.Ordinal);
        return [.. Words(text).Take(maxLength).Select(w => _ids.GetValueOrDefault(w, UnknownId))];
    }

    /// <summary>The tokenizer as JSON (Engine conventions).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, EngineJson.Options);

    /// <summary>A tokenizer written by <see cref="ToJson"/>.</summary>
    /// <exception cref="JsonException">The text is not a tokenizer.</exception>
    public static TextTokenizer FromJson(string json) =>
        JsonSerializer.Deserialize<TextTokenizer>(json, EngineJson.Options) ?? throw new JsonException("The tokenizer is empty.");

    [GeneratedRegex(@"[\p{IsCJKUnifiedIdeographs}\p{IsHiragana}\p{IsKatakana}]|[\p{L}\p{M}\p{N}-[\p{IsCJKUnifiedIdeographs}\p{IsHiragana}\p{IsKatakana}]]+(?:['’][\p{L}\p{M}\p{N}]+)*")]
    private static partial Regex WordPattern();
}
