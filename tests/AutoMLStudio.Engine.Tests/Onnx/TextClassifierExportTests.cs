using AutoMLStudio.Engine.Native;
using AutoMLStudio.Engine.Onnx;
using AutoMLStudio.Engine.Text;
using AutoMLStudio.Engine.Tests.Text;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Tests.Onnx;

[Collection(TorchCollection.Name)]
public sealed class TextClassifierExportTests
{
    private const int Vocabulary = 30;

    private readonly ITestOutputHelper _output;

    public TextClassifierExportTests(ITestOutputHelper output)
    {
        _output = output;
        TorchNative.EnsureLoaded();
    }

    // Rows of different lengths right-padded with 0, and one row that is all padding (an empty text).
    private static readonly long[][] Texts = [[5, 9, 2, 17, 3, 8, 29], [4, 4, 11], [], [21, 1, 6, 6, 13]];

    [Theory]
    [InlineData(0)]
    [InlineData(12)]
    public void Embedding_bag_averages_real_tokens_like_torch_with_and_without_a_hidden_layer(int hidden)
    {
        var architecture = TextTestData.Bag(Vocabulary, classes: 3, hidden: hidden);

        var difference = Compare(architecture, Texts, seed: 31);

        Assert.True(difference < OnnxParity.Tolerance, $"largest difference {difference:E2}");
    }

    [Fact]
    public void Embedding_bag_with_bigram_buckets_gives_torchs_probabilities_for_encoded_texts()
    {
        var reviews = TextTestData.Reviews(5, seed: 3);
        var tokenizer = TextTokenizer.Fit(reviews.Texts, maxVocabulary: 1000);
        var architecture = TextTestData.Bag(tokenizer.Size, bigramBuckets: 16, hidden: 8);
        long[][] ids = [.. reviews.Texts.Append("").Select(t => architecture.Encode(tokenizer, t).Select(id => (long)id).ToArray())];

        var difference = Compare(architecture, ids, seed: 32);

        Assert.True(difference < OnnxParity.Tolerance, $"largest difference {difference:E2}");
        Assert.Contains(ids, row => row.Any(id => id >= tokenizer.Size));
    }

    [Theory]
    [InlineData(3, "one text")]
    [InlineData(3, "all texts")]
    [InlineData(5, "all texts")]
    [InlineData(5, "texts shorter than the kernel")]
    public void Cnn_gives_torchs_probabilities_for_padded_and_short_texts(int kernel, string batch)
    {
        var architecture = TextTestData.Cnn(Vocabulary, classes: 4, kernel);
        var texts = batch switch
        {
            "one text" => Texts[..1],
            "all texts" => Texts,
            _ => Texts[1..3], // 3 ids and none: a length of 3 under a kernel of 5
        };

        var difference = Compare(architecture, texts, seed: 33);

        Assert.True(difference < OnnxParity.Tolerance, $"largest difference {difference:E2}");
    }

    [Fact]
    public void Exported_model_takes_ids_of_any_batch_and_length()
    {
        torch.manual_seed(1);
        using var model = new TextClassifier(TextTestData.Cnn(Vocabulary));

        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(OnnxExport.TextClassifier(model));

        var ids = Assert.Single(session.InputMetadata);
        Assert.Equal("ids", ids.Key);
        Assert.Equal(typeof(long), ids.Value.ElementType);
        Assert.Equal(["N", "L"], ids.Value.SymbolicDimensions);
        Assert.Equal("probabilities", Assert.Single(session.OutputMetadata).Key);
    }

    private double Compare(TextClassifierArchitecture architecture, long[][] texts, int seed)
    {
        torch.manual_seed(seed);
        using var model = new TextClassifier(architecture);
        model.eval();
        using var scope = torch.NewDisposeScope();
        var ids = Padded(texts);

        var onnx = OnnxExport.TextClassifier(model);
        var expected = torch.nn.functional.softmax(model.forward(ids), 1);
        var difference = OnnxParity.MaxDifference(expected, OnnxParity.Run(onnx, "probabilities", ("ids", ids)));

        _output.WriteLine($"largest difference {difference:E2} over [{string.Join(", ", ids.shape)}]");
        return difference;
    }

    private static Tensor Padded(long[][] texts)
    {
        var length = Math.Max(1, texts.Max(t => t.Length));
        var ids = new long[texts.Length * length];
        for (var i = 0; i < texts.Length; i++) texts[i].CopyTo(ids, i * length);
        return torch.tensor(ids, [texts.Length, length]);
    }
}
