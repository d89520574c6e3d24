namespace AutoMLStudio.Engine.Text;

/// <summary>The text model families.</summary>
public static class TextModelFamilies
{
    /// <summary>Mean of word (and optionally hashed bigram) embeddings -> optional hidden layer -> logits.</summary>
    public const string EmbeddingBag = "embedding-bag";

    /// <summary>Embeddings -> 1-D convolution -> ReLU -> global max pool -> dropout -> logits.</summary>
    public const string Cnn = "cnn";

    /// <summary>
    /// TF-IDF over the word (and optionally hashed bigram) ids -> linear -> logits: not a network but read from the
    /// same ids, so hosting tokenizes it as it does the others (see <see cref="TfidfClassifier"/>).
    /// </summary>
    public const string Tfidf = "tfidf";
}

/// <summary>A text classifier over token ids from a <see cref="TextTokenizer"/>.</summary>
/// <param name="Family">One of <see cref="TextModelFamilies"/>.</param>
/// <param name="VocabularySize">The tokenizer's <see cref="TextTokenizer.Size"/> (words plus padding and unknown).</param>
/// <param name="ClassCount">Classes.</param>
/// <param name="MaxLength">Words read per text; the rest is cut off.</param>
/// <param name="EmbeddingWidth">Width of every embedding.</param>
/// <param name="BigramBuckets">Embedding-bag: hashed buckets for pairs of adjacent words (0 for words only).</param>
/// <param name="HiddenUnits">Embedding-bag: units of the hidden layer (0 for none).</param>
/// <param name="Kernel">CNN: convolution width in words (odd).</param>
/// <param name="Filters">CNN: convolution filters.</param>
/// <param name="Dropout">Dropout before the output layer.</param>
public sealed record TextClassifierArchitecture(
    string Family,
    int VocabularySize,
    int ClassCount,
    int MaxLength,
    int EmbeddingWidth,
    int BigramBuckets,
    int HiddenUnits,
    int Kernel,
    int Filters,
    double Dropout)
{
    /// <summary>Rows of the embedding table: the vocabulary, then the bigram buckets.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int EmbeddingRows => VocabularySize + (HashesBigrams ? BigramBuckets : 0);

    /// <summary>Longest id sequence per text: <see cref="MaxLength"/> words, plus up to one bigram less with bigrams.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int MaxTokens => MaxLength + (HashesBigrams && BigramBuckets > 0 ? MaxLength - 1 : 0);

    // The bag and TF-IDF read pairs of words as hashed ids after the vocabulary; the CNN sees word order itself.
    private bool HashesBigrams => Family is TextModelFamilies.EmbeddingBag or TextModelFamilies.Tfidf;

    /// <summary>
    /// The ids the model reads for <paramref name="text"/>: its first <see cref="MaxLength"/> word ids, then (with
    /// bigrams) one id per adjacent pair, hashed into the buckets after the vocabulary. Bigrams are hashed rather
    /// than counted so the table's size is fixed before the data is seen and unseen pairs still land somewhere.
    /// </summary>
    public int[] Encode(TextTokenizer tokenizer, string? text)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var words = tokenizer.Encode(text, MaxLength);
        if (!HashesBigrams || BigramBuckets == 0 || words.Length < 2) return words;
        var ids = new int[words.Length * 2 - 1];
        words.CopyTo(ids, 0);
        for (var i = 1; i < words.Length; i++) ids[words.Length + i - 1] = VocabularySize + Seeds.Combine(words[i - 1], words[i]) % BigramBuckets;
        return ids;
    }
}

/// <summary>A text trial: the network and how to train it.</summary>
public sealed record TextTrialConfig(TextClassifierArchitecture Architecture, Spaces.TrainingSettings Training);
