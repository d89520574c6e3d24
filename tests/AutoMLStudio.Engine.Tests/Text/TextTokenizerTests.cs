using AutoMLStudio.Engine.Text;

namespace AutoMLStudio.Engine.Tests.Text;

public sealed class TextTokenizerTests
{
    [Fact]
    public void Words_are_lower_cased_unicode_runs_without_punctuation()
    {
        Assert.Equal(["don't", "panic", "straße", "café", "42", "naïve"], TextTokenizer.Words("Don't PANIC!! Straße, café: 42 -- naïve."));
        Assert.Equal(["我", "爱", "東", "京", "ok"], TextTokenizer.Words("我爱東京 ok"));
        Assert.Empty(TextTokenizer.Words(""));
        Assert.Empty(TextTokenizer.Words(null));
        Assert.Empty(TextTokenizer.Words("?!… 🙂"));
    }

    [Fact]
    public void Vocabulary_keeps_the_most_frequent_words_seen_at_least_twice()
    {
        var tokenizer = TextTokenizer.Fit(["b a a c", "a b d", "c e e"], maxVocabulary: 2);

        Assert.Equal(["a", "b"], tokenizer.Vocabulary); // a x3, then b, c, e x2 with b first in ordinal order; d once
        Assert.Equal(4, tokenizer.Size);
        Assert.Equal([2, 3, TextTokenizer.UnknownId, TextTokenizer.UnknownId], tokenizer.Encode("A b c zebra", maxLength: 10));
        Assert.Equal([2, 3], tokenizer.Encode("a b a b", maxLength: 2));
        Assert.Empty(tokenizer.Encode("", maxLength: 5));
    }

    [Fact]
    public void Tokenizer_survives_json()
    {
        var tokenizer = TextTokenizer.Fit(TextTestData.Reviews(50, seed: 1).Texts, maxVocabulary: 100);

        var back = TextTokenizer.FromJson(tokenizer.ToJson());

        Assert.Equal(tokenizer.Vocabulary, back.Vocabulary);
        Assert.Equal(tokenizer.Encode("the GREAT box, sehr gut", 20), back.Encode("the GREAT box, sehr gut", 20));
    }

    [Fact]
    public void Bigrams_follow_the_words_and_land_in_the_buckets_after_the_vocabulary()
    {
        var tokenizer = TextTokenizer.Fit(["a b c a b c"], maxVocabulary: 10);
        var architecture = TextTestData.Bag(tokenizer.Size, bigramBuckets: 7) with { MaxLength = 3 };

        var ids = architecture.Encode(tokenizer, "a b c a");

        Assert.Equal(5, ids.Length); // 3 words (cut at MaxLength), 2 bigrams
        Assert.Equal(tokenizer.Encode("a b c", 3), ids[..3]);
        Assert.All(ids[3..], id => Assert.InRange(id, tokenizer.Size, tokenizer.Size + 6));
        Assert.Equal(ids, architecture.Encode(tokenizer, "a b c a"));
    }
}
