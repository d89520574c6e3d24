using AutoMLStudio.Engine.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AutoMLStudio.Engine.Text;

/// <summary>Which ids a TF-IDF model counts, and how strongly its linear classifier is held to zero.</summary>
/// <param name="MaxWords">Only the tokenizer's most frequent words up to this many count (the tokenizer orders its words by frequency).</param>
/// <param name="MinDocumentFrequency">Words and word pairs in fewer training texts than this do not count.</param>
/// <param name="L2">L2 penalty on the weights per whole training set: the objective is the summed cross-entropy plus
/// <c>L2 / 2 * |W|^2</c>, scikit-learn's <c>1 / C</c>.</param>
public sealed record TfidfSettings(int MaxWords, int MinDocumentFrequency, double L2);

/// <summary>
/// A TF-IDF trial. <see cref="Architecture"/> is a <see cref="TextClassifierArchitecture"/> of family
/// <see cref="TextModelFamilies.Tfidf"/>, so whatever reads a text model's ids (hosting, batch prediction) reads this
/// one's unchanged; only its vocabulary, classes, words read and bigram buckets mean something.
/// </summary>
public sealed record TfidfTrialConfig(TextClassifierArchitecture Architecture, Spaces.TrainingSettings Training, TfidfSettings Tfidf);

/// <summary>
/// Softmax regression on TF-IDF features computed from the ids of <see cref="TextClassifierArchitecture.Encode"/>:
/// <c>forward(ids [N, L] int64, 0 = padding)</c> counts each id in its text, weighs it <c>(1 + ln count) * idf</c>,
/// scales the text's vector to length 1 and returns <c>x W + b</c> [N, classes]. Counting compares every position with
/// every other, so no dense [N, features] matrix is built; the ONNX graph (<c>TfidfGraph</c>) does the same steps.
/// Tensors: <c>weights.weight</c> [features, classes], <c>bias</c> [classes], and the buffer <c>idf</c> [features]
/// (0 for ids that do not count: padding, unknown words, words past <see cref="TfidfSettings.MaxWords"/>, rare ones).
/// </summary>
public sealed class TfidfClassifier : Module<Tensor, Tensor>
{
    private static readonly Scalar Epsilon = 1e-12.ToScalar();

    private readonly Embedding weights;
    private readonly Parameter bias;

    /// <summary>Builds the module with zero weights; <paramref name="idf"/> null leaves the idf at zero for weights loaded later.</summary>
    /// <exception cref="ArgumentException">The architecture is not a TF-IDF one, or the idf has another length.</exception>
    public TfidfClassifier(TextClassifierArchitecture a, float[]? idf = null) : base(NativeModuleName.AfterLoading(nameof(TfidfClassifier)))
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.Family != TextModelFamilies.Tfidf) throw new ArgumentException($"A TF-IDF model needs family '{TextModelFamilies.Tfidf}', not '{a.Family}'.");
        if (a.VocabularySize < 2 || a.ClassCount < 2 || a.MaxLength < 1 || a.BigramBuckets < 0)
            throw new ArgumentException("A TF-IDF model needs a vocabulary of at least padding and unknown, 2 classes, a length of 1 and no negative bigram buckets.");
        if (idf is not null && idf.Length != a.EmbeddingRows) throw new ArgumentException($"The idf has {idf.Length} entries, not {a.EmbeddingRows}.");
        Architecture = a;

        using var scope = NewDisposeScope();
        // Zero start: the problem is convex, so the start only decides how fast it gets there, and zero needs no seed.
        weights = Embedding(a.EmbeddingRows, a.ClassCount);
        using (no_grad()) weights.weight!.zero_();
        bias = Parameter(zeros(a.ClassCount));
        RegisterComponents();
        register_buffer("idf", (idf is null ? zeros(a.EmbeddingRows) : tensor(idf)).DetachFromDisposeScope());
        scope.Detach(parameters());
    }

    /// <summary>The architecture this module was built from.</summary>
    public TextClassifierArchitecture Architecture { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor ids)
    {
        var idf = get_buffer("idf")!;
        // How often each position's id occurs in its text; padding positions count each other but weigh 0.
        var counts = ids.unsqueeze(2).eq(ids.unsqueeze(1)).sum(2).to_type(ScalarType.Float32); // [N, L]
        var value = counts.log().add(HeldScalars.One).mul(idf.take(ids));
        // An id that occurs c times has c positions: each carries 1/c of its value, so sums over positions count it once.
        var share = value.div(counts);
        var norm = value.mul(share).sum(1, keepdim: true).sqrt().clamp_min(Epsilon); // [N, 1]; an empty text stays zero
        return weights.forward(ids).mul(share.div(norm).unsqueeze(2)).sum(1).add(bias);
    }

    /// <summary>
    /// The idf of every id from the training texts' ids (scikit-learn's smooth idf, <c>ln((1 + n) / (1 + df)) + 1</c>),
    /// 0 for ids that do not count under <paramref name="settings"/>.
    /// </summary>
    public static float[] InverseDocumentFrequencies(TextClassifierArchitecture a, TfidfSettings settings, IReadOnlyList<int[]> trainingIds)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(trainingIds);
        var documents = new int[a.EmbeddingRows];
        foreach (var ids in trainingIds)
            foreach (var id in ids.Distinct()) documents[id]++;
        var idf = new float[a.EmbeddingRows];
        var lastWord = (long)TextTokenizer.UnknownId + settings.MaxWords; // word ids run from 2, most frequent first
        for (var id = TextTokenizer.UnknownId + 1; id < idf.Length; id++)
        {
            var counted = (id <= lastWord || id >= a.VocabularySize) && documents[id] >= Math.Max(1, settings.MinDocumentFrequency);
            if (counted) idf[id] = (float)(Math.Log((1.0 + trainingIds.Count) / (1.0 + documents[id])) + 1);
        }
        return idf;
    }
}
